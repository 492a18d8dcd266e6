package io.tokenlab.plugin.text.shortening;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * The stopword lists that Apache Lucene's analyzers ship, by ISO 639-1 code. The files are read as
 * resources at Lucene's paths (the bundle carries copies). Two formats occur: Snowball lists with
 * {@code |} comments and several words per line, and one-word-per-line lists with {@code #}
 * comments.
 */
public final class StopwordLists {
    private static final String BASE = "org/apache/lucene/analysis/";
    private static final Map<String, String> FILES = new TreeMap<>();

    static {
        for (String code : new String[] {"ar", "bg", "bn", "br", "ca", "ckb", "el", "et", "eu", "fa", "ga", "gl",
                "hi", "hy", "id", "lt", "lv", "ne", "ro", "sr", "ta", "te", "th", "tr"}) {
            FILES.put(code, BASE + code + "/stopwords.txt");
        }
        FILES.put("cs", BASE + "cz/stopwords.txt");
        // Indonesian has its own list above (the one IndonesianAnalyzer uses); the rest are Snowball's
        Map<String, String> snowball = Map.ofEntries(Map.entry("da", "danish"), Map.entry("nl", "dutch"),
                Map.entry("en", "english"), Map.entry("fi", "finnish"), Map.entry("fr", "french"),
                Map.entry("de", "german"), Map.entry("hu", "hungarian"), Map.entry("it", "italian"),
                Map.entry("no", "norwegian"), Map.entry("pt", "portuguese"), Map.entry("ru", "russian"),
                Map.entry("es", "spanish"), Map.entry("sv", "swedish"));
        snowball.forEach((code, name) -> FILES.put(code, BASE + "snowball/" + name + "_stop.txt"));
    }

    private StopwordLists() {
    }

    /** The language codes that have a list. */
    public static Set<String> languages() {
        return Collections.unmodifiableSet(FILES.keySet());
    }

    /** The stopwords of a language, lowercased with that language's rules. */
    public static Set<String> of(String language) {
        String path = FILES.get(language);
        if (path == null) {
            throw new IllegalArgumentException("no stopword list for '" + language + "'; known: " + FILES.keySet());
        }
        Locale locale = Locale.forLanguageTag(language);
        Set<String> words = new HashSet<>();
        try (InputStream in = StopwordLists.class.getClassLoader().getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("stopword file missing from the bundle: " + path);
            }
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            for (String line; (line = reader.readLine()) != null; ) {
                int comment = line.indexOf('|');
                if (comment >= 0) {
                    line = line.substring(0, comment);
                }
                if (line.strip().startsWith("#")) {
                    continue;
                }
                for (String word : line.strip().split("\\s+")) {
                    if (!word.isEmpty()) {
                        words.add(word.toLowerCase(locale));
                    }
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + path, e);
        }
        return Collections.unmodifiableSet(words);
    }
}
