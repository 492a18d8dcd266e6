package io.tokenlab.plugin.tokenizer.turkish;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The hybrid Turkish tokenizer of "Tokens with Meaning" (arXiv 2508.14292), on Starlang's lexicon.
 *
 * <p>Ids: 0 {@code <uppercase>}, 1 {@code <unknown>}, 2 {@code <space>}, then one id per root
 * (shared by its softened allomorph), one per suffix pattern (shared by all its allomorphs), and
 * 256 byte ids last. Text is split on " " with the space token between parts; a part is split at
 * camelCase boundaries; a segment starting with a capital gets {@code <uppercase>} and its first
 * letter lowercased with Turkish rules (İ→i, I→ı). A segment is then matched greedily by longest
 * prefix: a root first at its start, then suffixes before roots (a Turkish word is a root followed
 * by suffixes), and the UTF-8 bytes of one character when nothing matches. The paper's fallback
 * is a trained BPE vocabulary; here it is bytes, so {@code <unknown>} is never needed.
 *
 * <p>Decoding picks each suffix's allomorph from the text decoded so far in the segment: vowel
 * harmony from the last vowel, t/ç after a hard consonant (fstkçşhp), a leading buffer y/n/s only
 * after a vowel; a softening root takes its softened form when the next token is a suffix that
 * starts with a vowel. Where these rules would not give back the text, the encoder writes that
 * part as bytes, so decoding is always lossless.
 */
public final class TurkishHybridTokenizer {
    public static final int UPPERCASE = 0;
    public static final int UNKNOWN = 1;
    public static final int SPACE = 2;
    private static final int FIRST_ROOT = 3;
    private static final String HARD = "fstkçşhp";
    private static final String BACK_VOWELS = "aıou";
    private static final String VOWELS = "aeıioöuü";

    private final TurkishLexicon lexicon;
    private final Map<String, Integer> rootIds = new HashMap<>();
    private final int firstSuffix;
    private final int firstByte;
    private final int longestRoot;

    public TurkishHybridTokenizer(TurkishLexicon lexicon) {
        this.lexicon = lexicon;
        int longest = 0;
        for (int i = 0; i < lexicon.roots().size(); i++) {
            TurkishLexicon.Root r = lexicon.roots().get(i);
            rootIds.putIfAbsent(r.form(), FIRST_ROOT + i);
            if (r.softened() != null) {
                rootIds.putIfAbsent(r.softened(), FIRST_ROOT + i);
            }
            longest = Math.max(longest, r.form().length());
        }
        this.longestRoot = longest;
        this.firstSuffix = FIRST_ROOT + lexicon.roots().size();
        this.firstByte = firstSuffix + lexicon.suffixPatterns().size();
    }

    public int vocabularySize() {
        return firstByte + 256;
    }

    public boolean isRoot(int id) {
        return id >= FIRST_ROOT && id < firstSuffix;
    }

    public boolean isSuffix(int id) {
        return id >= firstSuffix && id < firstByte;
    }

    public boolean isByte(int id) {
        return id >= firstByte && id < firstByte + 256;
    }

    /** The id of a root (either allomorph), or -1. */
    public int rootId(String form) {
        return rootIds.getOrDefault(form, -1);
    }

    /** The id of a suffix pattern in Starlang's notation (e.g. {@code lAr}), or -1. */
    public int suffixId(String pattern) {
        int i = lexicon.suffixPatterns().indexOf(pattern);
        return i < 0 ? -1 : firstSuffix + i;
    }

    public int[] encode(String text) {
        List<Integer> ids = new ArrayList<>();
        String[] parts = text.split(" ", -1);
        for (int p = 0; p < parts.length; p++) {
            if (p > 0) {
                ids.add(SPACE);
            }
            List<Integer> part = encodePart(parts[p]);
            if (!decode(part.stream().mapToInt(Integer::intValue).toArray()).equals(parts[p])) {
                part = new ArrayList<>();
                appendBytes(parts[p], part);
            }
            ids.addAll(part);
        }
        return ids.stream().mapToInt(Integer::intValue).toArray();
    }

    private List<Integer> encodePart(String part) {
        List<Integer> ids = new ArrayList<>();
        for (String segment : camelSegments(part)) {
            String lower = segment;
            int first = segment.codePointAt(0);
            String firstLower = new String(Character.toChars(first)).toLowerCase(TurkishLexicon.TURKISH);
            if (Character.isUpperCase(first) && firstLower.toUpperCase(TurkishLexicon.TURKISH)
                    .equals(new String(Character.toChars(first)))) {
                ids.add(UPPERCASE);
                lower = firstLower + segment.substring(Character.charCount(first));
            }
            encodeSegment(lower, ids);
        }
        return ids;
    }

    private void encodeSegment(String s, List<Integer> ids) {
        StringBuilder decoded = new StringBuilder();
        int pos = 0;
        while (pos < s.length()) {
            int id = -1;
            int length = 0;
            if (pos > 0) {
                for (int i = 0; i < lexicon.suffixPatterns().size(); i++) {
                    String surface = realize(lexicon.suffixPatterns().get(i), decoded);
                    if (surface.length() > length && s.startsWith(surface, pos)) {
                        id = firstSuffix + i;
                        length = surface.length();
                    }
                }
            }
            if (id < 0) {
                for (int len = Math.min(longestRoot, s.length() - pos); len > 0; len--) {
                    Integer root = rootIds.get(s.substring(pos, pos + len));
                    if (root != null) {
                        id = root;
                        length = len;
                        break;
                    }
                }
            }
            if (id < 0) {
                int cp = s.codePointAt(pos);
                length = Character.charCount(cp);
                appendBytes(s.substring(pos, pos + length), ids);
            } else {
                ids.add(id);
            }
            decoded.append(s, pos, pos + length);
            pos += length;
        }
    }

    public String decode(int[] ids) {
        StringBuilder out = new StringBuilder();
        StringBuilder segment = new StringBuilder();
        ByteArrayOutputStream pending = new ByteArrayOutputStream();
        boolean upper = false;
        for (int i = 0; i < ids.length; i++) {
            int id = ids[i];
            if (isByte(id)) {
                pending.write(id - firstByte);
                continue;
            }
            segment.append(pending.toString(StandardCharsets.UTF_8));
            pending.reset();
            if (id == SPACE || id == UPPERCASE) {
                flush(segment, upper, out);
                upper = id == UPPERCASE;
                if (id == SPACE) {
                    out.append(' ');
                }
            } else if (isRoot(id)) {
                TurkishLexicon.Root root = lexicon.roots().get(id - FIRST_ROOT);
                boolean vowelNext = i + 1 < ids.length && isSuffix(ids[i + 1])
                        && startsWithVowel(lexicon.suffixPatterns().get(ids[i + 1] - firstSuffix));
                segment.append(root.softened() != null && vowelNext ? root.softened() : root.form());
            } else if (isSuffix(id)) {
                segment.append(realize(lexicon.suffixPatterns().get(id - firstSuffix), segment));
            } else if (id != UNKNOWN) {
                throw new IllegalArgumentException("id " + id + " is outside 0.." + (vocabularySize() - 1));
            }
        }
        segment.append(pending.toString(StandardCharsets.UTF_8));
        flush(segment, upper, out);
        return out.toString();
    }

    private static void flush(StringBuilder segment, boolean upper, StringBuilder out) {
        if (upper && segment.length() > 0) {
            int first = segment.codePointAt(0);
            out.append(new String(Character.toChars(first)).toUpperCase(TurkishLexicon.TURKISH))
                    .append(segment, Character.charCount(first), segment.length());
        } else {
            out.append(segment);
        }
        segment.setLength(0);
    }

    /** The allomorph of a suffix pattern after the given text. */
    static String realize(String pattern, CharSequence before) {
        StringBuilder out = new StringBuilder();
        int start = pattern.startsWith("'") ? 1 : 0;
        for (int i = 0; i < pattern.length(); i++) {
            char c = pattern.charAt(i);
            char last = lastLetter(before, out);
            boolean buffer = i == start && i + 1 < pattern.length() && (c == 'y' || c == 'n' || c == 's');
            if (buffer) {
                if (VOWELS.indexOf(last) >= 0) {
                    out.append(c);
                }
                continue;
            }
            char vowel = lastVowel(before, out);
            out.append(switch (c) {
                case 'A' -> BACK_VOWELS.indexOf(vowel) >= 0 ? 'a' : 'e';
                case 'H' -> switch (vowel) {
                    case 'a', 'ı' -> 'ı';
                    case 'o', 'u' -> 'u';
                    case 'ö', 'ü' -> 'ü';
                    default -> 'i';
                };
                case 'D' -> HARD.indexOf(last) >= 0 ? 't' : 'd';
                case 'C' -> HARD.indexOf(last) >= 0 ? 'ç' : 'c';
                default -> Character.toLowerCase(c);
            });
        }
        return out.toString();
    }

    private static boolean startsWithVowel(String pattern) {
        String p = pattern.startsWith("'") ? pattern.substring(1) : pattern;
        if (p.length() > 1 && "yns".indexOf(p.charAt(0)) >= 0) {
            p = p.substring(1); // the buffer falls away after the consonant a softened root ends in
        }
        return !p.isEmpty() && (p.charAt(0) == 'A' || p.charAt(0) == 'H' || VOWELS.indexOf(p.charAt(0)) >= 0);
    }

    private static char lastLetter(CharSequence before, CharSequence out) {
        CharSequence s = out.length() > 0 ? out : before;
        return s.length() == 0 ? ' ' : Character.toLowerCase(s.charAt(s.length() - 1));
    }

    private static char lastVowel(CharSequence before, CharSequence out) {
        for (CharSequence s : new CharSequence[] {out, before}) {
            for (int i = s.length() - 1; i >= 0; i--) {
                char c = Character.toLowerCase(s.charAt(i));
                if (VOWELS.indexOf(c) >= 0) {
                    return c;
                }
            }
        }
        return 'e';
    }

    private void appendBytes(String s, List<Integer> ids) {
        for (byte b : s.getBytes(StandardCharsets.UTF_8)) {
            ids.add(firstByte + (b & 0xff));
        }
    }

    /** Cuts before each uppercase letter that follows a lowercase one. */
    static List<String> camelSegments(String part) {
        List<String> out = new ArrayList<>();
        int start = 0;
        int previous = -1;
        for (int i = 0; i < part.length(); ) {
            int cp = part.codePointAt(i);
            if (previous >= 0 && Character.isLowerCase(previous) && Character.isUpperCase(cp)) {
                out.add(part.substring(start, i));
                start = i;
            }
            previous = cp;
            i += Character.charCount(cp);
        }
        if (start < part.length()) {
            out.add(part.substring(start));
        }
        return out;
    }
}
