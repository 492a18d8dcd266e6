package io.tokenlab.plugin.tokenizer.bpe;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The hand-written pre-tokenizers split exactly where java.util.regex (with Unicode character
 * classes, the engine jtokkit uses) splits with the original pattern, on generated strings
 * drawn from the characters the patterns care about.
 */
class PreTokenizerEquivalenceTest {
    private static final String[] ALPHABET = {"a", "B", "z", "É", "é", "ß", "ǅ", "ʰ", "中", "\u0301", "\u0903", "1", "٣", "Ⅻ",
            "½", " ", "  ", "\t", "\n", "\r", "\u00a0", "\u3000", "'", "'s", "'T", "'ll", "'RE", "/", ".", ",", "!", "-", "_",
            "😀", "𝐀", "𝑎", "\ud800", "\udc00", "<", "|", "x", "the", " the", "Hello", "HTTPServer", "don't", "\u0085", "\u2028"};

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "cl100k", "qwen", "o200k"})
    void handWrittenSplitMatchesTheRegex(String name) {
        String regex = switch (name) {
            case "gpt2" -> TiktokenPatterns.GPT2_REGEX;
            case "cl100k" -> TiktokenPatterns.CL100K_REGEX;
            case "qwen" -> TiktokenPatterns.QWEN_REGEX;
            default -> TiktokenPatterns.O200K_REGEX;
        };
        PreTokenizer fast = TiktokenPatterns.forRegex(regex);
        Pattern pattern = Pattern.compile(regex, Pattern.UNICODE_CHARACTER_CLASS);
        Random random = new Random(42);
        for (int round = 0; round < 20_000; round++) {
            StringBuilder sb = new StringBuilder();
            int n = 1 + random.nextInt(12);
            for (int i = 0; i < n; i++) {
                sb.append(ALPHABET[random.nextInt(ALPHABET.length)]);
            }
            String s = sb.toString();
            IntList ends = new IntList(8);
            fast.split(s, 0, s.length(), ends);
            List<Integer> actual = new ArrayList<>();
            for (int i = 0; i < ends.size; i++) {
                actual.add(ends.get(i));
            }
            assertThat(actual).as("pieces of %s", escape(s)).isEqualTo(regexEnds(pattern, s));
        }
    }

    private static List<Integer> regexEnds(Pattern pattern, String s) {
        List<Integer> ends = new ArrayList<>();
        Matcher m = pattern.matcher(s);
        int previous = 0;
        while (m.find()) {
            if (m.start() > previous) {
                ends.add(m.start());
            }
            ends.add(m.end());
            previous = m.end();
        }
        if (previous < s.length()) {
            ends.add(s.length());
        }
        return ends;
    }

    private static String escape(String s) {
        StringBuilder sb = new StringBuilder();
        s.chars().forEach(c -> sb.append(c < 0x20 || c > 0x7e ? String.format("\\u%04x", c) : String.valueOf((char) c)));
        return sb.toString();
    }
}
