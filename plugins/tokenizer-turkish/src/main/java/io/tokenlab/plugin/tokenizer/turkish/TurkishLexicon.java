package io.tokenlab.plugin.tokenizer.turkish;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Roots and suffixes from Starlang's Turkish resources. Roots are the single-word entries of
 * {@code turkish_dictionary.txt}; a root flagged {@code IS_SD} (final consonant softens before a
 * vowel: kitap/kitab) gets its softened form as an allomorph. Suffixes are the distinct morpheme
 * patterns on the transitions of {@code turkish_finite_state_machine.xml}, written with Starlang's
 * meta letters (A = a/e, H = ı/i/u/ü, D = d/t, C = c/ç, a leading y/n/s/S = buffer consonant), so
 * one pattern stands for all its allomorphs (lAr = lar, ler).
 */
public final class TurkishLexicon {
    static final Locale TURKISH = Locale.forLanguageTag("tr");
    private static final Pattern WITH = Pattern.compile("<with\\b[^>]*>([^<]*)</with>");

    /** A root: its dictionary form and, if it softens, the softened form. */
    public record Root(String form, String softened) {
    }

    private final List<Root> roots;
    private final List<String> suffixPatterns;

    private TurkishLexicon(List<Root> roots, List<String> suffixPatterns) {
        this.roots = List.copyOf(roots);
        this.suffixPatterns = List.copyOf(suffixPatterns);
    }

    public static TurkishLexicon load() {
        Map<String, Root> roots = new LinkedHashMap<>();
        for (String line : lines("turkish_dictionary.txt")) {
            String[] fields = line.strip().split("\\s+");
            String word = fields[0].toLowerCase(TURKISH);
            if (word.isEmpty() || !word.chars().allMatch(Character::isLetter) || roots.containsKey(word)) {
                continue;
            }
            boolean softens = false;
            for (int i = 1; i < fields.length; i++) {
                softens |= fields[i].equals("IS_SD");
            }
            roots.put(word, new Root(word, softens ? soften(word) : null));
        }
        TreeSet<String> patterns = new TreeSet<>();
        Matcher m = WITH.matcher(String.join("\n", lines("turkish_finite_state_machine.xml")));
        while (m.find()) {
            String pattern = m.group(1).strip();
            if (!pattern.isEmpty() && !pattern.equals("0")) {
                patterns.add(pattern);
            }
        }
        return new TurkishLexicon(new ArrayList<>(roots.values()), new ArrayList<>(patterns));
    }

    public List<Root> roots() {
        return roots;
    }

    public List<String> suffixPatterns() {
        return suffixPatterns;
    }

    /** The final consonant softened: p→b, ç→c, t→d, k→ğ (k→g after n). Null if it ends otherwise. */
    static String soften(String word) {
        char last = word.charAt(word.length() - 1);
        String stem = word.substring(0, word.length() - 1);
        return switch (last) {
            case 'p' -> stem + 'b';
            case 'ç' -> stem + 'c';
            case 't' -> stem + 'd';
            case 'k' -> stem + (stem.endsWith("n") ? 'g' : 'ğ');
            default -> null;
        };
    }

    private static List<String> lines(String resource) {
        try (InputStream in = TurkishLexicon.class.getClassLoader().getResourceAsStream(resource)) {
            if (in == null) {
                throw new IllegalStateException("Turkish lexicon file missing from the bundle: " + resource);
            }
            return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8)).lines().toList();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read " + resource, e);
        }
    }
}
