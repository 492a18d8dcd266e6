package io.tokenlab.plugin.tokenizer.bpe;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;

/**
 * The Unigram language model tokenizer (Kudo 2018; T5, XLM-R, ALBERT) as Hugging Face and
 * SentencePiece encode: the Viterbi path of highest total score over every segmentation into
 * vocabulary pieces. A character no piece starts with is unknown with the score
 * {@code min score - 10}; consecutive unknown characters fuse into one unknown token, which byte
 * fallback spells as {@code <0xXX>} byte tokens when the vocabulary has them.
 */
final class UnigramModel implements SubwordModel {
    private static final double UNKNOWN_PENALTY = 10.0;

    private final CharTrie trie;
    private final double[] scores;
    private final int unknownId;
    private final double unknownScore;
    private final int[] byteIds;
    private final boolean floatSums;
    private final boolean[] userDefined;
    private final double maxScore;

    /** Thread-confined Viterbi arrays, grown as needed. */
    private static final class Lattice {
        double[] best = new double[64];
        int[] from = new int[64];
        int[] id = new int[64];
        IntList path = new IntList(32);
    }

    private final ThreadLocal<Lattice> lattices = ThreadLocal.withInitial(Lattice::new);

    /**
     * @param pieces    the vocabulary in id order
     * @param scores    log probability of each piece
     * @param matchable whether a piece may be matched in text (SentencePiece's control and unused
     *                  pieces may not); null for all
     * @param byteFallback whether unknown text is spelled with {@code <0xXX>} pieces
     * @param floatSums    whether best path scores are stored in single precision, as SentencePiece
     *                     stores them (it compares in double; Hugging Face keeps doubles throughout).
     *                     Near-ties between segmentations of repetitive text depend on it
     */
    UnigramModel(List<String> pieces, double[] scores, boolean[] matchable, int unknownId, boolean byteFallback,
                 boolean floatSums) {
        this(pieces, scores, matchable, null, unknownId, byteFallback, floatSums, minimum(scores) - UNKNOWN_PENALTY);
    }

    private static double minimum(double[] scores) {
        double min = Double.MAX_VALUE;
        for (double s : scores) {
            min = Math.min(min, s);
        }
        return scores.length == 0 ? 0 : min;
    }

    /**
     * SentencePiece's variant: user-defined pieces score {@code UTF-8 length * maxScore - 0.1} so that
     * they always win, and the unknown score is given (SentencePiece takes the minimum over normal pieces).
     */
    UnigramModel(List<String> pieces, double[] scores, boolean[] matchable, boolean[] userDefined, int unknownId,
                 boolean byteFallback, boolean floatSums, double unknownScore) {
        this.floatSums = floatSums;
        this.userDefined = userDefined;
        double max = -Double.MAX_VALUE;
        for (int id = 0; id < scores.length; id++) {
            if (userDefined == null || !userDefined[id]) {
                max = Math.max(max, scores[id]);
            }
        }
        this.maxScore = max;
        this.trie = new CharTrie(pieces.size());
        this.scores = scores;
        for (int id = 0; id < pieces.size(); id++) {
            if (matchable == null || matchable[id]) {
                trie.put(pieces.get(id), id);
            }
        }
        this.unknownId = unknownId;
        this.unknownScore = unknownScore;
        this.byteIds = byteFallback ? byteIds(pieces) : null;
    }

    private static int[] byteIds(List<String> pieces) {
        int[] ids = new int[256];
        Arrays.fill(ids, -1);
        for (int id = 0; id < pieces.size(); id++) {
            String p = pieces.get(id);
            if (p.length() == 6 && p.startsWith("<0x") && p.endsWith(">")) {
                try {
                    int b = Integer.parseInt(p.substring(3, 5), 16);
                    if (ids[b] < 0) {
                        ids[b] = id;
                    }
                } catch (NumberFormatException e) {
                    // an ordinary piece that looks like a byte token
                }
            }
        }
        return ids;
    }

    @Override
    public void encode(String s, IntList ids, IntList starts, IntList ends) {
        int n = s.length();
        if (n == 0) {
            return;
        }
        Lattice l = lattices.get();
        if (l.best.length < n + 1) {
            int cap = Math.max(n + 1, l.best.length * 2);
            l.best = new double[cap];
            l.from = new int[cap];
            l.id = new int[cap];
        }
        double[] best = l.best;
        int[] from = l.from;
        int[] id = l.id;
        Arrays.fill(from, 0, n + 1, -1);
        best[0] = 0;
        from[0] = 0;
        int start = 0;
        while (start < n) {
            int charLen = Character.isHighSurrogate(s.charAt(start)) && start + 1 < n
                    && Character.isLowSurrogate(s.charAt(start + 1)) ? 2 : 1;
            double base = best[start];
            boolean single = false;
            int node = 0;
            for (int i = start; i < n; i++) {
                node = trie.child(node, s.charAt(i));
                if (node < 0) {
                    break;
                }
                int v = trie.value(node);
                if (v >= 0) {
                    int end = i + 1;
                    double score = userDefined != null && userDefined[v] ? utf8Length(s, start, end) * maxScore - 0.1 : scores[v];
                    double candidate = base + score;
                    if (from[end] < 0 || candidate > best[end]) {
                        best[end] = floatSums ? (float) candidate : candidate;
                        from[end] = start;
                        id[end] = v;
                    }
                    if (end - start == charLen) {
                        single = true;
                    }
                }
            }
            if (!single) {
                int end = start + charLen;
                double candidate = base + unknownScore;
                if (from[end] < 0 || candidate > best[end]) {
                    best[end] = floatSums ? (float) candidate : candidate;
                    from[end] = start;
                    id[end] = unknownId;
                }
            }
            start += charLen;
        }
        // back to front: token end positions, unknown runs fused
        IntList path = l.path;
        path.clear();
        int at = n;
        while (at > 0) {
            path.add(at);
            int s0 = from[at];
            if (id[at] == unknownId && unknownId >= 0) {
                while (s0 > 0 && id[s0] == unknownId) {
                    s0 = from[s0];
                }
            }
            path.add(s0);
            at = s0;
        }
        for (int k = path.size - 1; k > 0; k -= 2) {
            int tokenStart = path.get(k);
            int tokenEnd = path.get(k - 1);
            int tokenId = id[tokenEnd];
            if (tokenId == unknownId) {
                // a fused run of unknown characters is a piece only if the vocabulary spells it so
                tokenId = trie.get(s, tokenStart, tokenEnd);
                if (tokenId < 0) {
                    emitUnknown(s, tokenStart, tokenEnd, ids, starts, ends);
                    continue;
                }
            }
            ids.add(tokenId);
            if (starts != null) {
                starts.add(tokenStart);
                ends.add(tokenEnd);
            }
        }
    }

    private static int utf8Length(String s, int from, int to) {
        int n = 0;
        for (int i = from; i < to; i++) {
            char c = s.charAt(i);
            n += c < 0x80 ? 1 : c < 0x800 ? 2 : Character.isSurrogate(c) ? 2 : 3;
        }
        return n;
    }

    private void emitUnknown(String s, int from, int to, IntList ids, IntList starts, IntList ends) {
        if (byteIds != null) {
            byte[] utf8 = s.substring(from, to).getBytes(StandardCharsets.UTF_8);
            boolean all = true;
            for (byte b : utf8) {
                all &= byteIds[b & 0xFF] >= 0;
            }
            if (all) {
                for (byte b : utf8) {
                    ids.add(byteIds[b & 0xFF]);
                    if (starts != null) {
                        starts.add(from);
                        ends.add(to);
                    }
                }
                return;
            }
        }
        if (unknownId < 0) {
            throw new io.tokenlab.api.TechniqueException("Unigram: text has characters no piece covers and the "
                    + "vocabulary has no unk_id: '" + s.substring(from, to) + "'");
        }
        ids.add(unknownId);
        if (starts != null) {
            starts.add(from);
            ends.add(to);
        }
    }
}
