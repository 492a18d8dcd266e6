package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;

import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Vectors from tiktoken's own tests and documentation. */
class PublishedVectorsTest {
    @Test
    void cl100k() {
        Tokenizer t = TestData.open("cl100k_base");
        assertThat(t.encode("hello world")).containsExactly(15339, 1917);
        assertThat(t.encode("tiktoken is great!")).containsExactly(83, 1609, 5963, 374, 2294, 0);
        assertThat(t.encode("hello <|endoftext|>", Set.of("<|endoftext|>"))).containsExactly(15339, 220, 100257);
        assertThat(t.decode(new int[] {15339, 1917})).isEqualTo("hello world");
        assertThat(t.vocabularySize()).isEqualTo(100277);
    }

    @Test
    void r50kAndP50k() {
        assertThat(TestData.open("r50k_base").encode("hello world")).containsExactly(31373, 995);
        assertThat(TestData.open("p50k_base").encode("hello world")).containsExactly(31373, 995);
        assertThat(TestData.open("r50k_base").encode("hello <|endoftext|>", Set.of("<|endoftext|>")))
                .containsExactly(31373, 220, 50256);
    }

    @Test
    void o200k() {
        Tokenizer t = TestData.open("o200k_base");
        assertThat(t.encode("hello world")).containsExactly(24912, 2375);
        assertThat(t.vocabularySize()).isEqualTo(200019);
    }

    @Test
    void disallowedSpecialTokenIsAnErrorNamingIt() {
        Tokenizer t = TestData.open("cl100k_base");
        assertThatThrownBy(() -> t.encode("a <|fim_prefix|> b")).hasMessageContaining("<|fim_prefix|>");
        assertThatThrownBy(() -> t.encode("a <|endoftext|> <|fim_prefix|>", Set.of("<|endoftext|>")))
                .hasMessageContaining("<|fim_prefix|>");
    }
}
