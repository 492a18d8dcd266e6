package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/** Generated-input properties: lossless round trips, single tokens, offsets, linear long inputs. */
class RoundTripPropertiesTest {
    /** Strings of random UTF-16 units, lone surrogates included, biased towards ASCII and whitespace. */
    static String randomText(Random random, int maxLength) {
        int n = random.nextInt(maxLength + 1);
        StringBuilder sb = new StringBuilder(n);
        for (int i = 0; i < n; i++) {
            int kind = random.nextInt(10);
            if (kind < 4) {
                sb.append((char) (0x20 + random.nextInt(0x5f)));
            } else if (kind < 5) {
                sb.append(" \t\n\r".charAt(random.nextInt(4)));
            } else if (kind < 7) {
                sb.append((char) random.nextInt(0x10000));
            } else if (kind < 9) {
                sb.appendCodePoint(0x10000 + random.nextInt(0x10FFFF - 0x10000));
            } else {
                sb.append((char) (0xD800 + random.nextInt(0x800))); // a lone surrogate, usually
            }
        }
        return sb.toString();
    }

    /** What the tokenizer promises to give back: the text with each lone surrogate as U+FFFD. */
    static String replaceLoneSurrogates(String s) {
        StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < s.length() && Character.isLowSurrogate(s.charAt(i + 1))) {
                sb.append(c).append(s.charAt(++i));
            } else if (Character.isSurrogate(c)) {
                sb.append('\uFFFD');
            } else {
                sb.append(c);
            }
        }
        return sb.toString();
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base", "r50k_base", "qwen3", "llama2", "gemma3"})
    void decodeOfEncodeIsTheTextWithLoneSurrogatesReplaced(String vocabulary) {
        Tokenizer t = TestData.open(vocabulary);
        Random random = new Random(vocabulary.hashCode());
        for (int round = 0; round < 3000; round++) {
            String s = randomText(random, 40);
            if (vocabulary.equals("qwen3")) {
                s = java.text.Normalizer.normalize(replaceLoneSurrogates(s), java.text.Normalizer.Form.NFC);
            }
            int[] ids = t.encode(s, t.specialTokens());
            assertThat(t.decode(ids)).as("round trip of %s", s).isEqualTo(replaceLoneSurrogates(s));
            Encoding e = t.encodeWithOffsets(s, t.specialTokens());
            assertThat(e.ids()).isEqualTo(ids);
            for (int i = 0; i < e.size(); i++) {
                assertThat(e.starts()[i]).isBetween(i == 0 ? 0 : e.starts()[i - 1], s.length());
                assertThat(e.ends()[i]).isBetween(e.starts()[i], s.length());
            }
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base"})
    void arbitraryBytesRoundTripAtTheByteLevel(String vocabulary) {
        Tokenizer t = TestData.open(vocabulary);
        Random random = new Random(7);
        for (int round = 0; round < 2000; round++) {
            String s = randomText(random, 30);
            byte[] utf8 = replaceLoneSurrogates(s).getBytes(StandardCharsets.UTF_8);
            assertThat(t.decodeBytes(t.encode(s))).isEqualTo(utf8);
        }
        // byte-level tokens decode to arbitrary bytes, including invalid UTF-8, exactly
        byte[] all = new byte[256];
        for (int b = 0; b < 256; b++) {
            all[b] = (byte) b;
        }
        int[] singleBytes = new int[256];
        for (int b = 0; b < 256; b++) {
            singleBytes[b] = ((BpeTokenizer) t).vocabulary().model().byteIds[b];
        }
        assertThat(t.decodeBytes(singleBytes)).isEqualTo(all);
    }

    @ParameterizedTest
    @ValueSource(strings = {"cl100k_base", "o200k_base", "p50k_base", "r50k_base"})
    void everyTokenRoundTrips(String vocabulary) {
        Tokenizer t = TestData.open(vocabulary);
        int checked = 0;
        for (int id = 0; id < t.vocabularySize(); id++) {
            if (!((BpeTokenizer) t).vocabulary().decodeBytes().has(id)) {
                continue;
            }
            byte[] bytes = t.tokenBytes(id);
            String text = new String(bytes, StandardCharsets.UTF_8);
            if (!java.util.Arrays.equals(text.getBytes(StandardCharsets.UTF_8), bytes)) {
                continue; // part of a character: not expressible as text on its own
            }
            boolean special = t.specialTokens().contains(text);
            int[] ids = t.encode(text, special ? Set.of(text) : Set.of());
            // a token is its own encoding unless the pattern splits its text (tiktoken has such tokens)
            assertThat(t.decode(ids)).isEqualTo(text);
            if (ids.length == 1) {
                assertThat(ids[0]).isEqualTo(id);
            }
            checked++;
        }
        assertThat(checked).isGreaterThan(t.vocabularySize() * 9 / 10);
    }

    /** Its speed (linearity) is measured by benchmarks/tokenizer-vs-jtokkit.sh, not asserted here. */
    @Test
    void oneMegabyteOfOneCharacterRoundTrips() {
        Tokenizer t = TestData.open("cl100k_base");
        String big = "a".repeat(1 << 20);
        assertThat(t.decode(t.encode(big))).isEqualTo(big);
    }
}
