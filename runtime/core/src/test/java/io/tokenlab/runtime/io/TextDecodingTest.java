package io.tokenlab.runtime.io;

import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TextDecodingTest {
    private static final byte[] BAD = {'o', 'k', '\n', 'a', (byte) 0xFF, 'b', (byte) 0xC3, '\n'};

    @Test
    void replaceWarnsWithTheCountAndTheFirstPlace() throws Exception {
        List<String> warnings = new ArrayList<>();
        String text = TextDecoding.REPLACE.decode(BAD, "in.txt", warnings::add);
        assertThat(text).isEqualTo("ok\na\uFFFDb\uFFFD\n");
        assertThat(warnings).singleElement().asString()
                .contains("in.txt: 2 bytes that are not valid UTF-8, the first at byte offset 4 (line 2, 0xFF)");
    }

    @Test
    void failRefusesNamingTheInput() {
        assertThatThrownBy(() -> TextDecoding.FAIL.decode(BAD, "in.txt", w -> { }))
                .hasMessageContaining("in.txt: 2 bytes").hasMessageContaining("line 2");
    }

    @Test
    void escapeKeepsEveryByteAndWarnsNothing() throws Exception {
        List<String> warnings = new ArrayList<>();
        String text = TextDecoding.ESCAPE.decode(BAD, "in.txt", warnings::add);
        assertThat(io.tokenlab.api.tokenizer.EscapedBytes.encode(text)).isEqualTo(BAD);
        assertThat(warnings).isEmpty();
    }

    @Test
    void validTextIsSilent() throws Exception {
        List<String> warnings = new ArrayList<>();
        assertThat(TextDecoding.REPLACE.decode("日本\n".getBytes(java.nio.charset.StandardCharsets.UTF_8), "x",
                warnings::add)).isEqualTo("日本\n");
        assertThat(warnings).isEmpty();
    }

    @Test
    void onlyReplaceAndFailCanBeChosen() {
        assertThat(TextDecoding.parse("FAIL")).isEqualTo(TextDecoding.FAIL);
        assertThatThrownBy(() -> TextDecoding.parse("escape")).hasMessageContaining("accepted: replace");
    }
}
