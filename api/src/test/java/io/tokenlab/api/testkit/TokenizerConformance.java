package io.tokenlab.api.testkit;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Checks every tokenizer plugin must pass. A plugin test extends this class and says how to open
 * its tokenizer and which parameters are invalid.
 */
public abstract class TokenizerConformance {
    /** Texts in several scripts, with whitespace runs, digits, emoji and code. */
    protected static final List<String> SAMPLES = List.of(
            "",
            "hello world",
            "  leading and trailing spaces  ",
            "Tabs\tand\nnewlines\r\n\n  indented",
            "Numbers 1234567890 and 3.14159, dates 2026-11-29.",
            "Ünïcödé façade — naïve café, Straße, İstanbul'da",
            "日本語のテキストと中文文本，还有한국어 텍스트.",
            "Emoji 👩‍👩‍👧 and flags 🇹🇷🇯🇵 and 🙂🙂🙂",
            "int main(void) { return printf(\"%d\\n\", x << 2); }",
            "Ελληνικά, русский текст, עברית, العربية, हिन्दी");

    protected abstract TokenizerTechnique technique();

    /** Parameters that open a working tokenizer. */
    protected abstract Parameters validParameters();

    /** Parameters the technique must refuse with an error naming the bad value. */
    protected abstract Parameters invalidParameters();

    /** The value the error for {@link #invalidParameters()} must mention. */
    protected abstract String invalidValue();

    protected abstract RunContext context();

    protected Tokenizer open() {
        return technique().open(validParameters(), context());
    }

    @Test
    void roundTripsSampleTexts() {
        Tokenizer t = open();
        for (String s : SAMPLES) {
            assertThat(t.decode(t.encode(s))).as("round trip of %s", s).isEqualTo(s);
        }
    }

    @Test
    void isDeterministic() {
        Tokenizer a = open();
        Tokenizer b = open();
        for (String s : SAMPLES) {
            assertThat(b.encode(s)).isEqualTo(a.encode(s));
        }
    }

    @Test
    void countMatchesEncode() {
        Tokenizer t = open();
        for (String s : SAMPLES) {
            assertThat(t.count(s)).isEqualTo(t.encode(s).length);
        }
    }

    @Test
    void idsAreInsideTheVocabulary() {
        Tokenizer t = open();
        for (String s : SAMPLES) {
            for (int id : t.encode(s)) {
                assertThat(id).isBetween(0, t.vocabularySize() - 1);
            }
        }
    }

    @Test
    void offsetsCoverTheTextInOrder() {
        Tokenizer t = open();
        for (String s : SAMPLES) {
            Encoding e = t.encodeWithOffsets(s, Set.of());
            assertThat(e.ids()).isEqualTo(t.encode(s));
            int previousStart = 0;
            for (int i = 0; i < e.size(); i++) {
                assertThat(e.starts()[i]).isBetween(previousStart, s.length());
                assertThat(e.ends()[i]).isBetween(e.starts()[i], s.length());
                previousStart = e.starts()[i];
            }
        }
    }

    @Test
    void decodeBytesIsConcatenationOfTokenBytes() {
        Tokenizer t = open();
        String s = SAMPLES.get(6);
        int[] ids = t.encode(s);
        byte[] all = t.decodeBytes(ids);
        int pos = 0;
        for (int id : ids) {
            byte[] piece = t.tokenBytes(id);
            for (byte b : piece) {
                assertThat(all[pos++]).isEqualTo(b);
            }
        }
        assertThat(pos).isEqualTo(all.length);
        assertThat(new String(all, StandardCharsets.UTF_8)).isEqualTo(s);
    }

    @Test
    void isSafeForConcurrentUse() throws Exception {
        Tokenizer t = open();
        String text = String.join(" ", SAMPLES);
        int[] expected = t.encode(text);
        List<int[]> results = Concurrently.run(4, 50, () -> t.encode(text));
        assertThat(results).allSatisfy(r -> assertThat(r).isEqualTo(expected));
        assertThat(t.encodeBatch(SAMPLES, 2)).usingRecursiveFieldByFieldElementComparator()
                .containsExactlyElementsOf(t.encodeBatch(SAMPLES, 1));
    }

    @Test
    void refusesBadParametersNamingTheValue() {
        assertThatThrownBy(() -> technique().open(invalidParameters(), context()))
                .isInstanceOf(RuntimeException.class)
                .hasMessageContaining(invalidValue());
    }

    @Test
    void refusesDisallowedSpecialTokensNamingThem() {
        Tokenizer t = open();
        for (String special : t.specialTokens()) {
            assertThatThrownBy(() -> t.encode("before " + special + " after"))
                    .isInstanceOf(RuntimeException.class)
                    .hasMessageContaining(special);
            return;
        }
    }
}
