package io.tokenlab.plugin.text.shortening;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The "Simple Hack" for long-text classification (arXiv 2403.12563): drop stopwords, punctuation,
 * low-frequency words and/or recurring words from each document, then keep its first N tokens, so
 * that more content fits the model's window.
 *
 * <p>A document is cut into tokens: words (letters, marks and digits, with inner apostrophes or
 * hyphens) and single non-space characters that are not part of a word (punctuation and symbols).
 * Whitespace only separates. Words are compared case-insensitively (lowercased with the locale of
 * the language). The shortened document is its kept tokens joined by single spaces. The paper
 * gives no thresholds: a low-frequency word is one whose count over all documents of the call is
 * below {@code minFrequency}; a recurring word is every occurrence after the first within a
 * document.
 */
public final class TextShortener {
    private static final Pattern TOKEN = Pattern.compile(
            "[\\p{L}\\p{M}\\p{N}]+(?:['\u2019\\-][\\p{L}\\p{M}\\p{N}]+)*|[^\\s\\p{L}\\p{M}\\p{N}]");

    /** Which removals run; 0 switches off {@code minFrequency} and {@code maxTokens}. */
    public record Rules(boolean stopwords, boolean punctuation, int minFrequency, boolean recurring, int maxTokens) {
        public Rules {
            if (minFrequency < 0 || maxTokens < 0) {
                throw new IllegalArgumentException("minFrequency and maxTokens must be >= 0");
            }
        }
    }

    /** One token of a document. */
    public record Token(String text, boolean isWord) {
    }

    private final Set<String> stopwords;
    private final Locale locale;
    private final Rules rules;

    public TextShortener(Set<String> stopwords, Locale locale, Rules rules) {
        this.stopwords = Set.copyOf(stopwords);
        this.locale = locale;
        this.rules = rules;
    }

    /** The tokens of a document, in order. */
    public static List<Token> tokens(String document) {
        List<Token> out = new ArrayList<>();
        Matcher m = TOKEN.matcher(document);
        while (m.find()) {
            String t = m.group();
            out.add(new Token(t, Character.isLetterOrDigit(t.codePointAt(0)) || Character.getType(t.codePointAt(0))
                    == Character.NON_SPACING_MARK));
        }
        return out;
    }

    /** Each document shortened; frequencies for the low-frequency rule are counted over all of them. */
    public List<String> shorten(List<String> documents) {
        List<List<Token>> tokenized = new ArrayList<>(documents.size());
        Map<String, Integer> frequency = new HashMap<>();
        for (String d : documents) {
            List<Token> tokens = tokens(d);
            tokenized.add(tokens);
            if (rules.minFrequency() > 0) {
                for (Token t : tokens) {
                    if (t.isWord()) {
                        frequency.merge(fold(t.text()), 1, Integer::sum);
                    }
                }
            }
        }
        List<String> out = new ArrayList<>(documents.size());
        for (List<Token> tokens : tokenized) {
            out.add(String.join(" ", keep(tokens, frequency)));
        }
        return out;
    }

    private List<String> keep(List<Token> tokens, Map<String, Integer> frequency) {
        List<String> kept = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        for (Token t : tokens) {
            if (rules.maxTokens() > 0 && kept.size() == rules.maxTokens()) {
                break;
            }
            if (!t.isWord()) {
                if (!rules.punctuation()) {
                    kept.add(t.text());
                }
                continue;
            }
            String word = fold(t.text());
            if (rules.stopwords() && stopwords.contains(word)) {
                continue;
            }
            if (rules.minFrequency() > 0 && frequency.getOrDefault(word, 0) < rules.minFrequency()) {
                continue;
            }
            if (rules.recurring() && !seen.add(word)) {
                continue;
            }
            kept.add(t.text());
        }
        return kept;
    }

    String fold(String word) {
        return word.toLowerCase(locale);
    }
}
