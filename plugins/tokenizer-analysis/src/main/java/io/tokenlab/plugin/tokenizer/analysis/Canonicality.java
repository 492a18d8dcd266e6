package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Canonicality of token id sequences ("Say Anything but This", arXiv 2601.14658): a sequence s is
 * canonical iff encode(decode(s)) == s; any other sequence with the same bytes is a phantom
 * alternative. Counts and lists the segmentations of a text over the vocabulary (dynamic
 * programming over byte positions with a trie of token bytes) and sorts a non-canonical encoding
 * into the paper's artifact types by rules on where its boundaries differ.
 */
final class Canonicality {
    /** The artifact types of the paper, in the order the rules test them. */
    enum Artifact {
        NEWLINE_WHITESPACE_SUBSTITUTION,
        WHITESPACE_DETACHMENT,
        WHITESPACE_BOUNDARY_SHIFT,
        ACRONYM_SPLIT,
        PLURAL_POSSESSIVE_TAIL,
        MORPHOLOGICAL_BOUNDARY_SURFACING,
        PROPER_NOUN_AMBIGUITY,
        INTRA_WORD_RESEGMENTATION
    }

    private static final List<String> SUFFIXES = List.of("ing", "ed", "er", "est", "ly", "ness", "ment", "tion", "sion",
            "able", "ible", "ful", "less", "ize", "ise", "ity", "ous", "ive", "al", "ism", "ist");

    private final Tokenizer tokenizer;
    private final Trie trie = new Trie();

    Canonicality(Tokenizer tokenizer) {
        this.tokenizer = tokenizer;
        Set<String> specials = tokenizer.specialTokens();
        for (int id = 0; id < tokenizer.vocabularySize(); id++) {
            byte[] bytes;
            try {
                bytes = tokenizer.tokenBytes(id);
            } catch (RuntimeException e) {
                continue; // ids a vocabulary leaves unused
            }
            if (bytes.length == 0 || specials.contains(new String(bytes, StandardCharsets.UTF_8))) {
                continue;
            }
            trie.add(bytes, id);
        }
    }

    int tokenCount(String text) {
        return tokenizer.encode(text, tokenizer.specialTokens()).length;
    }

    boolean isCanonical(int[] ids) {
        String text = tokenizer.decode(ids);
        // ids whose bytes are not valid UTF-8 cannot be the encoding of any text
        if (!Arrays.equals(text.getBytes(StandardCharsets.UTF_8), tokenizer.decodeBytes(ids))) {
            return false;
        }
        return Arrays.equals(tokenizer.encode(text, tokenizer.specialTokens()), ids);
    }

    /** Number of id sequences whose bytes are exactly the text's UTF-8 bytes (the canonical one included). */
    BigInteger segmentations(String text) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        BigInteger[] ways = new BigInteger[b.length + 1];
        ways[b.length] = BigInteger.ONE;
        for (int i = b.length - 1; i >= 0; i--) {
            BigInteger sum = BigInteger.ZERO;
            Trie.Node node = trie.root;
            for (int j = i; j < b.length && node != null; j++) {
                node = node.next.get(b[j]);
                if (node != null && node.id >= 0) {
                    sum = sum.add(ways[j + 1]);
                }
            }
            ways[i] = sum;
        }
        return ways[0];
    }

    /** Up to {@code limit} segmentations of the text, in lexicographic order of token lengths (longest first). */
    List<int[]> enumerate(String text, int limit) {
        byte[] b = text.getBytes(StandardCharsets.UTF_8);
        List<int[]> out = new ArrayList<>();
        enumerate(b, 0, new ArrayList<>(), out, limit);
        return out;
    }

    private void enumerate(byte[] b, int at, List<Integer> prefix, List<int[]> out, int limit) {
        if (out.size() >= limit) {
            return;
        }
        if (at == b.length) {
            out.add(prefix.stream().mapToInt(Integer::intValue).toArray());
            return;
        }
        List<int[]> matches = new ArrayList<>(); // {id, end}
        Trie.Node node = trie.root;
        for (int j = at; j < b.length && node != null; j++) {
            node = node.next.get(b[j]);
            if (node != null && node.id >= 0) {
                matches.add(new int[] {node.id, j + 1});
            }
        }
        for (int k = matches.size() - 1; k >= 0 && out.size() < limit; k--) {
            prefix.add(matches.get(k)[0]);
            enumerate(b, matches.get(k)[1], prefix, out, limit);
            prefix.remove(prefix.size() - 1);
        }
    }

    /** Classifies an alternative encoding of the same text against the canonical one. */
    Artifact classify(int[] alternative) {
        String text = tokenizer.decode(alternative);
        int[] canonical = tokenizer.encode(text, tokenizer.specialTokens());
        List<String> canon = pieces(canonical);
        List<String> alt = pieces(alternative);
        int[] region = differingRegion(canon, alt);
        String changed = text.substring(region[0], region[1]);
        List<String> altIn = within(alt, region);
        List<String> canonIn = within(canon, region);
        if (changed.isBlank()) {
            return Artifact.NEWLINE_WHITESPACE_SUBSTITUTION;
        }
        boolean altBareSpace = altIn.stream().anyMatch(p -> !p.isEmpty() && p.isBlank());
        boolean canonBareSpace = canonIn.stream().anyMatch(p -> !p.isEmpty() && p.isBlank());
        if (altBareSpace && !canonBareSpace) {
            return Artifact.WHITESPACE_DETACHMENT;
        }
        boolean altInnerSpace = altIn.stream().anyMatch(Canonicality::hasSpaceAfterStart);
        boolean canonInnerSpace = canonIn.stream().anyMatch(Canonicality::hasSpaceAfterStart);
        if (altInnerSpace != canonInnerSpace || spaceAttachment(altIn) != spaceAttachment(canonIn)) {
            return Artifact.WHITESPACE_BOUNDARY_SHIFT;
        }
        String word = wordAround(text, region);
        String letters = word.replaceAll("[^\\p{L}]", "");
        if (letters.length() >= 2 && letters.equals(letters.toUpperCase()) && !letters.equals(letters.toLowerCase())) {
            return Artifact.ACRONYM_SPLIT;
        }
        // what follows each boundary only the alternative has, up to the end of its word
        List<String> tails = new ArrayList<>();
        Set<Integer> canonicalEnds = new java.util.HashSet<>(ends(canon));
        for (int e : ends(alt)) {
            if (e > region[0] && e < region[1] && !canonicalEnds.contains(e)) {
                tails.add(text.substring(e, wordEnd(text, e)).toLowerCase());
            }
        }
        if (tails.stream().anyMatch(t -> t.equals("s") || t.equals("es") || t.equals("'s") || t.equals("’s")
                || t.equals("'") || t.equals("’"))) {
            return Artifact.PLURAL_POSSESSIVE_TAIL;
        }
        if (tails.stream().anyMatch(SUFFIXES::contains)) {
            return Artifact.MORPHOLOGICAL_BOUNDARY_SURFACING;
        }
        if (!letters.isEmpty() && Character.isUpperCase(letters.codePointAt(0))) {
            return Artifact.PROPER_NOUN_AMBIGUITY;
        }
        return Artifact.INTRA_WORD_RESEGMENTATION;
    }

    private static boolean hasSpaceAfterStart(String piece) {
        String rest = piece.isEmpty() ? "" : piece.substring(1);
        return !piece.isBlank() && rest.chars().anyMatch(Character::isWhitespace);
    }

    /** Where the region's spaces sit: counted as (pieces starting with space) − (pieces ending with space). */
    private static int spaceAttachment(List<String> pieces) {
        int n = 0;
        for (String p : pieces) {
            if (p.isBlank()) {
                continue;
            }
            if (Character.isWhitespace(p.charAt(0))) {
                n++;
            }
            if (Character.isWhitespace(p.charAt(p.length() - 1))) {
                n--;
            }
        }
        return n;
    }

    private List<String> pieces(int[] ids) {
        List<String> out = new ArrayList<>(ids.length);
        for (int id : ids) {
            out.add(new String(tokenizer.tokenBytes(id), StandardCharsets.UTF_8));
        }
        return out;
    }

    /** The smallest character span, between boundaries both sequences share, that holds every differing boundary. */
    private static int[] differingRegion(List<String> a, List<String> b) {
        List<Integer> ea = ends(a);
        List<Integer> eb = ends(b);
        Set<Integer> sa = new java.util.HashSet<>(ea);
        Set<Integer> sb = new java.util.HashSet<>(eb);
        int first = Integer.MAX_VALUE;
        int last = -1;
        for (int e : ea) {
            if (!sb.contains(e)) {
                first = Math.min(first, e);
                last = Math.max(last, e);
            }
        }
        for (int e : eb) {
            if (!sa.contains(e)) {
                first = Math.min(first, e);
                last = Math.max(last, e);
            }
        }
        if (last < 0) {
            return new int[] {0, 0};
        }
        int start = 0;
        int end = ea.get(ea.size() - 1);
        for (int e : ea) {
            if (sb.contains(e) && e < first) {
                start = Math.max(start, e);
            }
            if (sb.contains(e) && e > last) {
                end = Math.min(end, e);
            }
        }
        return new int[] {start, end};
    }

    private static List<Integer> ends(List<String> pieces) {
        List<Integer> out = new ArrayList<>();
        int at = 0;
        for (String p : pieces) {
            at += p.length();
            out.add(at);
        }
        return out;
    }

    private static List<String> within(List<String> pieces, int[] region) {
        List<String> out = new ArrayList<>();
        int at = 0;
        for (String p : pieces) {
            if (at >= region[0] && at + p.length() <= region[1]) {
                out.add(p);
            }
            at += p.length();
        }
        return out.isEmpty() ? List.of("") : out;
    }

    private static String wordAround(String text, int[] region) {
        int s = region[0];
        while (s < region[1] && Character.isWhitespace(text.charAt(s))) {
            s++;
        }
        int start = s;
        while (start > 0 && !Character.isWhitespace(text.charAt(start - 1))) {
            start--;
        }
        return text.substring(start, wordEnd(text, s));
    }

    private static int wordEnd(String text, int from) {
        int e = from;
        while (e < text.length() && (Character.isLetterOrDigit(text.charAt(e)) || text.charAt(e) == '\''
                || text.charAt(e) == '’')) {
            e++;
        }
        return e;
    }

    /** Token ids by their bytes, as a byte trie. */
    private static final class Trie {
        final Node root = new Node();

        static final class Node {
            final Map<Byte, Node> next = new HashMap<>(4);
            int id = -1;
        }

        void add(byte[] bytes, int id) {
            Node n = root;
            for (byte b : bytes) {
                n = n.next.computeIfAbsent(b, x -> new Node());
            }
            if (n.id < 0) {
                n.id = id;
            }
        }
    }
}
