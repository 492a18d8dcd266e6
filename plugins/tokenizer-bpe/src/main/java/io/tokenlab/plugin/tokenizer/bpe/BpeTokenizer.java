package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.util.Set;

/**
 * A tokenizer over one loaded {@link BpeVocabulary}: added/special tokens first, then per
 * ordinary segment normalizer, pre-tokenizer and BPE merges on the UTF-8 bytes of each piece.
 *
 * <p>Lone surrogates (UTF-16 halves without their partner) cannot be UTF-8 encoded; like
 * tiktoken, they are encoded as U+FFFD, so {@code decode(encode(s))} returns {@code s} with each
 * lone surrogate replaced by U+FFFD and is otherwise exact.
 */
final class BpeTokenizer implements Tokenizer {
    private final BpeVocabulary vocabulary;
    private final Set<String> defaultAllowedSpecial;

    BpeTokenizer(BpeVocabulary vocabulary, Set<String> defaultAllowedSpecial) {
        this.vocabulary = vocabulary;
        this.defaultAllowedSpecial = Set.copyOf(defaultAllowedSpecial);
    }

    BpeVocabulary vocabulary() {
        return vocabulary;
    }

    @Override
    public int vocabularySize() {
        return vocabulary.vocabularySize();
    }

    @Override
    public Set<String> specialTokens() {
        java.util.Set<String> out = new java.util.LinkedHashSet<>();
        for (String t : vocabulary.addedTokens().ids().keySet()) {
            if (vocabulary.addedTokens().isSpecial(t)) {
                out.add(t);
            }
        }
        return java.util.Collections.unmodifiableSet(out);
    }

    /** Encodes with the special tokens allowed by the {@code allowed.special} parameter. */
    @Override
    public int[] encode(String text) {
        return encode(text, defaultAllowedSpecial);
    }

    @Override
    public int[] encode(String text, Set<String> allowedSpecial) {
        Run run = new Run(text, allowedSpecial, false);
        run.encode();
        return run.ids.toArray();
    }

    @Override
    public int count(String text) {
        Run run = new Run(text, defaultAllowedSpecial, false);
        run.encode();
        return run.ids.size;
    }

    @Override
    public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
        Run run = new Run(text, allowedSpecial, true);
        run.encode();
        return new Encoding(run.ids.toArray(), run.starts.toArray(), run.ends.toArray());
    }

    @Override
    public byte[] decodeBytes(int[] ids) {
        TokenBytesTable table = vocabulary.decodeBytes();
        int total = 0;
        for (int id : ids) {
            if (!table.has(id)) {
                throw new TechniqueException("token id " + id + " is not in the vocabulary " + vocabulary.source()
                        + " (0.." + (vocabulary.vocabularySize() - 1) + ")");
            }
            total += table.length(id);
        }
        byte[] out = new byte[total];
        int at = 0;
        for (int id : ids) {
            table.copyBytes(id, out, at);
            at += table.length(id);
        }
        int strip = 0;
        while (strip < vocabulary.stripLeadingSpaces() && strip < out.length && out[strip] == ' ') {
            strip++;
        }
        return strip == 0 ? out : java.util.Arrays.copyOfRange(out, strip, out.length);
    }

    /** The bytes of one token as it appears inside a sequence (no leading-space stripping). */
    @Override
    public byte[] tokenBytes(int id) {
        TokenBytesTable table = vocabulary.decodeBytes();
        if (!table.has(id)) {
            throw new TechniqueException("token id " + id + " is not in the vocabulary " + vocabulary.source());
        }
        return table.bytes(id);
    }

    /** One encode call: its output and working buffers, confined to the calling thread. */
    private final class Run {
        final String text;
        final Set<String> allowed;
        final boolean withOffsets;
        final IntList ids;
        final IntList starts;
        final IntList ends;
        final IntList pieceEnds = new IntList(64);
        final IntList tokenStarts;
        final BpeModel.Scratch scratch = new BpeModel.Scratch();
        byte[] utf8 = new byte[256];
        int[] byteToChar = new int[0];

        Run(String text, Set<String> allowed, boolean withOffsets) {
            this.text = text;
            this.allowed = allowed;
            this.withOffsets = withOffsets;
            this.ids = new IntList(text.length() / 3 + 8);
            this.starts = withOffsets ? new IntList(text.length() / 3 + 8) : null;
            this.ends = withOffsets ? new IntList(text.length() / 3 + 8) : null;
            this.tokenStarts = withOffsets ? new IntList(64) : null;
        }

        void encode() {
            AddedTokens added = vocabulary.addedTokens();
            int n = text.length();
            if (added.isEmpty()) {
                ordinary(0, n);
                return;
            }
            int segmentStart = 0;
            int i = 0;
            while (i < n) {
                if (added.mayStartAt(text.charAt(i))) {
                    String token = added.matchAt(text, i, n);
                    if (token != null) {
                        if (added.isSpecial(token) && !allowed.contains(token)) {
                            throw new TechniqueException("the text contains the special token " + token
                                    + " at character " + i + ", which is not allowed; allow it explicitly "
                                    + "(parameter allowed.special) or remove it from the text");
                        }
                        ordinary(segmentStart, i);
                        ids.add(added.idOf(token));
                        if (withOffsets) {
                            starts.add(i);
                            ends.add(i + token.length());
                        }
                        i += token.length();
                        segmentStart = i;
                        continue;
                    }
                }
                i++;
            }
            ordinary(segmentStart, n);
        }

        private void ordinary(int from, int to) {
            if (to <= from) {
                return;
            }
            Normalizer normalizer = vocabulary.normalizer();
            if (normalizer == null) {
                pieces(text, from, to, null, 0);
            } else {
                Normalizer.Result r = normalizer.normalize(text.substring(from, to));
                pieces(r.text(), 0, r.text().length(), r, from);
            }
        }

        private void pieces(String s, int from, int to, Normalizer.Result origin, int originOffset) {
            pieceEnds.clear();
            vocabulary.preTokenizer().split(s, from, to, pieceEnds);
            BpeModel model = vocabulary.model();
            int pieceStart = from;
            for (int p = 0; p < pieceEnds.size; p++) {
                int pieceEnd = pieceEnds.get(p);
                int len = toUtf8(s, pieceStart, pieceEnd);
                if (!withOffsets) {
                    model.encodePiece(utf8, 0, len, ids, null, scratch);
                } else {
                    int before = ids.size;
                    tokenStarts.clear();
                    model.encodePiece(utf8, 0, len, ids, tokenStarts, scratch);
                    for (int t = 0; t < ids.size - before; t++) {
                        int firstByte = tokenStarts.get(t);
                        int lastByte = (t + 1 < tokenStarts.size ? tokenStarts.get(t + 1) : len) - 1;
                        int startChar = byteToChar[firstByte];
                        int lastChar = byteToChar[lastByte];
                        int endChar = lastChar + (Character.isHighSurrogate(s.charAt(lastChar))
                                && lastChar + 1 < pieceEnd && Character.isLowSurrogate(s.charAt(lastChar + 1)) ? 2 : 1);
                        if (origin == null) {
                            starts.add(startChar);
                            ends.add(endChar);
                        } else {
                            starts.add(originOffset + origin.originStarts()[startChar]);
                            ends.add(originOffset + Math.max(origin.originStarts()[startChar], origin.originEnds()[endChar - 1]));
                        }
                    }
                }
                pieceStart = pieceEnd;
            }
        }

        /** UTF-8 of {@code s[from, to)} into {@link #utf8}; lone surrogates become U+FFFD. */
        private int toUtf8(String s, int from, int to) {
            int max = (to - from) * 3;
            if (utf8.length < max) {
                utf8 = new byte[Math.max(max, utf8.length * 2)];
            }
            if (withOffsets && byteToChar.length < max) {
                byteToChar = new int[Math.max(max, byteToChar.length * 2)];
            }
            byte[] out = utf8;
            int n = 0;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                int charIndex = i;
                if (c < 0x80) {
                    if (withOffsets) {
                        byteToChar[n] = charIndex;
                    }
                    out[n++] = (byte) c;
                    continue;
                }
                int start = n;
                if (c < 0x800) {
                    out[n++] = (byte) (0xC0 | (c >> 6));
                    out[n++] = (byte) (0x80 | (c & 0x3F));
                } else if (Character.isSurrogate(c)) {
                    if (Character.isHighSurrogate(c) && i + 1 < to && Character.isLowSurrogate(s.charAt(i + 1))) {
                        int cp = Character.toCodePoint(c, s.charAt(++i));
                        out[n++] = (byte) (0xF0 | (cp >> 18));
                        out[n++] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                        out[n++] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                        out[n++] = (byte) (0x80 | (cp & 0x3F));
                    } else {
                        out[n++] = (byte) 0xEF;
                        out[n++] = (byte) 0xBF;
                        out[n++] = (byte) 0xBD;
                    }
                } else {
                    out[n++] = (byte) (0xE0 | (c >> 12));
                    out[n++] = (byte) (0x80 | ((c >> 6) & 0x3F));
                    out[n++] = (byte) (0x80 | (c & 0x3F));
                }
                if (withOffsets) {
                    for (int k = start; k < n; k++) {
                        byteToChar[k] = charIndex;
                    }
                }
            }
            return n;
        }
    }
}
