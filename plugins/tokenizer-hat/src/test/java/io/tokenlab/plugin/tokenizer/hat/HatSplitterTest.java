package io.tokenlab.plugin.tokenizer.hat;

import io.tokenlab.api.Parameters;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class HatSplitterTest {
    private final HatSplitter splitter = new HatSplitter();

    @Test
    void publishedExamples() {
        assertThat(splitter.split("Hello, world!")).containsExactly("Hello,", " world!");
        assertThat(splitter.split("howAreYou")).containsExactly("how", "Are", "You");
        assertThat(splitter.split("für", 2)).containsExactly("f", "ü", "r");
    }

    @Test
    void wordsCarryTheirSingleLeadingSpaceAndTrailingPunctuation() {
        assertThat(splitter.split("The quick brown fox.")).containsExactly("The", " quick", " brown", " fox.");
        assertThat(splitter.split("Wait... what?!")).containsExactly("Wait...", " what?!");
        // a run of spaces or other whitespace stands alone; the next word then has no space to carry
        assertThat(splitter.split("a  b")).containsExactly("a", "  ", "b");
        assertThat(splitter.split("a\tb\nc")).containsExactly("a", "\t", "b", "\n", "c");
        // an opening bracket after a space joins the space; the word after the bracket starts anew
        assertThat(splitter.split("see (below)")).containsExactly("see", " (", "below)");
    }

    @Test
    void camelCaseIsCutOnlyBetweenLowerAndUpper() {
        assertThat(splitter.split("getHTTPResponse")).containsExactly("get", "HTTPResponse");
        assertThat(splitter.split("parseJSON now")).containsExactly("parse", "JSON", " now");
        assertThat(splitter.lex("ÉcoleNormale")).containsExactly("École", "Normale");
    }

    @Test
    void punctuationEndsAPieceInsideAWordBoundarySegment() {
        // UAX #29 keeps "don't" and "3.14" whole; the punctuation rule then cuts after ' and .
        assertThat(splitter.lex("don't")).containsExactly("don'", "t");
        assertThat(splitter.lex("3.14")).containsExactly("3.", "14");
        assertThat(splitter.lex("a, b")).containsExactly("a", ",", " ", "b");
    }

    @Test
    void udhrInEveryLanguageSplitsLosslesslyIntoWellFormedWords() throws Exception {
        Map<String, String> texts = UdhrCorpus.all();
        assertThat(texts).hasSizeGreaterThan(500).containsKeys("eng", "tur", "cmn_hans", "arb", "hin");
        long words = 0;
        List<String> malformed = new ArrayList<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            String text = e.getValue();
            List<String> split = splitter.split(text);
            assertThat(String.join("", split)).as(e.getKey()).isEqualTo(text);
            for (String word : split) {
                if (word.isEmpty() || !isWellFormed(word)) {
                    malformed.add(e.getKey() + ": '" + word + "'");
                }
            }
            words += split.size();
            if (split.size() % 5 != 0) {
                continue; // the byte limit is checked on about a fifth of the languages, to keep the test short
            }
            List<String> limited = splitter.split(text, 8);
            assertThat(String.join("", limited)).isEqualTo(text);
            for (String chunk : limited) {
                if (chunk.getBytes(StandardCharsets.UTF_8).length > 8 && chunk.codePointCount(0, chunk.length()) > 1) {
                    malformed.add(e.getKey() + ": chunk over 8 bytes '" + chunk + "'");
                }
            }
        }
        assertThat(malformed).isEmpty();
        assertThat(words).isGreaterThan(500_000);
    }

    /**
     * Whitespace alone, or a word with at most one leading " " and no whitespace inside. The narrow
     * no-break space U+202F is allowed inside: UAX #29 classes it ExtendNumLet, which joins Mongolian
     * stems to their suffixes.
     */
    private static boolean isWellFormed(String word) {
        if (word.codePoints().allMatch(HatSplitterTest::isSpace)) {
            return true;
        }
        String body = word.startsWith(" ") ? word.substring(1) : word;
        return body.codePoints().noneMatch(cp -> cp != 0x202F && isSpace(cp));
    }

    private static boolean isSpace(int cp) {
        return Character.isWhitespace(cp) || Character.isSpaceChar(cp);
    }

    @Test
    void turkishSentenceFromTheUdhr() throws Exception {
        String turkish = UdhrCorpus.all().get("tur");
        String firstArticle = turkish.lines().filter(l -> l.startsWith("Bütün insanlar")).findFirst().orElseThrow();
        List<String> words = splitter.split(firstArticle);
        assertThat(words.get(0)).isEqualTo("Bütün");
        assertThat(words.get(1)).isEqualTo(" insanlar");
        assertThat(words).allMatch(w -> !w.isBlank());
        assertThat(words.get(words.size() - 1)).endsWith(".");
    }

    @Test
    void stageJoinsWordsWithTheSeparator() {
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) new HatSplitTechnique().apply(List.of("Hello, world!", "howAreYou"),
                Parameters.of(Map.of("separator", "|")), null);
        assertThat(out).containsExactly("Hello,| world!", "how|Are|You");
        @SuppressWarnings("unchecked")
        List<String> limited = (List<String>) new HatSplitTechnique().apply(List.of("für"),
                Parameters.of(Map.of("separator", "|", "max.bytes", 2)), null);
        assertThat(limited).containsExactly("f|ü|r");
    }
}
