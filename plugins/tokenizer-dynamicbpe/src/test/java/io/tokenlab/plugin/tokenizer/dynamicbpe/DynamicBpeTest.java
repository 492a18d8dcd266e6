package io.tokenlab.plugin.tokenizer.dynamicbpe;

import io.tokenlab.api.Parameters;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class DynamicBpeTest {
    /** Non-blank lines of a chapter of the Python tutorial (real English prose with code). */
    static List<String> lines;

    @BeforeAll
    static void readText() throws Exception {
        String text = Files.readString(new FileCatalog(FileCatalog.defaultDataDirectory()).fetch("python-doc")
                .resolve("tutorial/controlflow.rst.txt"), StandardCharsets.UTF_8);
        lines = text.lines().filter(l -> !l.isBlank()).limit(400).toList();
    }

    @Test
    void workedExample() {
        // pairs: (a,a) 3 times, (a,b) twice, (" ",a) once: the first merge is "aa"; tokens are merged left to right
        DynamicBpe.Batch batch = DynamicBpe.encode(List.of("aaab aab"), 1);
        assertThat(batch.merges()).hasSize(1);
        assertThat(batch.merges().get(0)).containsExactly("a", "a");
        assertThat(batch.tokens(0)).containsExactly("aa", "a", "b", " ", "aa", "b");
        // with merges to spare, every word ends as one token
        DynamicBpe.Batch all = DynamicBpe.encode(List.of("aaab aab"), 100);
        assertThat(all.tokens(0)).containsExactly("aaab", " aab");
        assertThat(DynamicBpe.words("Hi  there, 42x")).containsExactly("Hi", " ", " there", ",", " 42", "x");
    }

    @Test
    void mergesNeverCrossWordBoundariesAndDecodingIsLossless() {
        List<String> violations = new ArrayList<>();
        for (int merges : new int[] {0, 50, 500, 5000}) {
            DynamicBpe.Batch batch = DynamicBpe.encode(lines, merges);
            for (int i = 0; i < lines.size(); i++) {
                String line = lines.get(i);
                if (!batch.decode(batch.ids().get(i)).equals(line)) {
                    violations.add("merges=" + merges + " line " + i + " does not decode");
                }
                Set<Integer> tokenEnds = new HashSet<>();
                int offset = 0;
                for (String token : batch.tokens(i)) {
                    offset += token.length();
                    tokenEnds.add(offset);
                    if (!token.isBlank() && token.substring(1).chars().anyMatch(Character::isWhitespace)) {
                        violations.add("merges=" + merges + " token with inner whitespace '" + token + "'");
                    }
                }
                int wordEnd = 0;
                for (String word : DynamicBpe.words(line)) {
                    wordEnd += word.length();
                    if (!tokenEnds.contains(wordEnd)) {
                        violations.add("merges=" + merges + " line " + i + ": a token crosses the end of '" + word + "'");
                    }
                }
            }
        }
        assertThat(violations).isEmpty();
    }

    @Test
    void tokenCountFallsWithMergesAndSaturatesAtTheWordCount() {
        int words = lines.stream().mapToInt(l -> DynamicBpe.words(l).size()).sum();
        int chars = lines.stream().mapToInt(l -> l.codePointCount(0, l.length())).sum();
        int previous = Integer.MAX_VALUE;
        List<Integer> counts = new ArrayList<>();
        for (int merges : new int[] {0, 10, 100, 1000, 3000}) {
            int count = DynamicBpe.encode(lines, merges).tokenCount();
            counts.add(count);
            assertThat(count).as("merges=" + merges).isLessThan(previous);
            previous = count;
        }
        assertThat(counts.get(0)).isEqualTo(chars);
        // the first merges take the most frequent pairs: 10 merges already save more than 10 tokens each
        assertThat(counts.get(0) - counts.get(1)).isGreaterThan(10 * 10);
        DynamicBpe.Batch saturated = DynamicBpe.encode(lines, 1_000_000);
        assertThat(saturated.tokenCount()).isEqualTo(words);
        assertThat(counts.get(4)).isGreaterThanOrEqualTo(words);
    }

    @Test
    void theSameMergeBudgetShortensASmallerBatchFurther() {
        // fewer word types share the merges, so each character of a small batch gets more of them
        int merges = 200;
        double small = (double) DynamicBpe.encode(lines.subList(0, 50), merges).tokenCount()
                / lines.subList(0, 50).stream().mapToInt(String::length).sum();
        double large = (double) DynamicBpe.encode(lines, merges).tokenCount()
                / lines.stream().mapToInt(String::length).sum();
        assertThat(small).isLessThan(large);
    }

    @Test
    void stageWritesTokensPerLine() {
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) new DynamicBpeTechnique().apply(List.of("aaab aab", "ab"),
                Parameters.of(Map.of("merges", 1, "separator", "|")), null);
        assertThat(out).containsExactly("aa|a|b| |aa|b", "a|b");
    }
}
