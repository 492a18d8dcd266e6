package io.tokenlab.api.testkit;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The byte-pair encoding of one pre-token, written the plainest way so that it can serve as the
 * reference of faster encoders: start from single bytes, merge the adjacent pair whose concatenation
 * has the lowest rank, the leftmost one when that pair occurs several times, and repeat until no
 * adjacent pair is in the vocabulary. This is tiktoken's rule; for its vocabularies (and GPT-2's, from
 * which r50k was made) a token's rank is its id. Quadratic per piece, which is fine for tests.
 */
public final class RankedMergeReference {
    private final Map<ByteBuffer, Integer> ranks;
    private final boolean leftmostFirst;

    /** Ranks are the ids of the tokens' bytes; the first id wins where two ids share bytes. */
    public static RankedMergeReference ranksAreIds(Tokenizer tokenizer) {
        Map<ByteBuffer, Integer> ranks = new HashMap<>();
        for (int id = 0; id < tokenizer.vocabularySize(); id++) {
            byte[] bytes;
            try {
                bytes = tokenizer.tokenBytes(id);
            } catch (RuntimeException holeInTheIdRange) {
                continue;
            }
            ranks.putIfAbsent(ByteBuffer.wrap(bytes), id);
        }
        // special tokens are matched before BPE, never merged into
        for (String special : tokenizer.specialTokens()) {
            for (int id : tokenizer.encode(special, java.util.Set.of(special))) {
                ranks.remove(ByteBuffer.wrap(tokenizer.tokenBytes(id)), id);
            }
        }
        return new RankedMergeReference(ranks);
    }

    public RankedMergeReference(Map<ByteBuffer, Integer> ranks) {
        this(ranks, true);
    }

    private RankedMergeReference(Map<ByteBuffer, Integer> ranks, boolean leftmostFirst) {
        this.ranks = Map.copyOf(ranks);
        this.leftmostFirst = leftmostFirst;
    }

    /**
     * The same ranks with the tie broken the wrong way (rightmost first): the kit uses it to show that
     * its pieces contain equal-rank pairs whose order changes the segmentation.
     */
    RankedMergeReference rightmostFirst() {
        return new RankedMergeReference(ranks, false);
    }

    /** The ids of {@code piece}'s tokens; fails naming the byte when a single byte has no token. */
    public int[] encode(byte[] piece) {
        List<byte[]> parts = new ArrayList<>(piece.length);
        for (byte b : piece) {
            byte[] one = {b};
            if (!ranks.containsKey(ByteBuffer.wrap(one))) {
                throw new IllegalArgumentException("byte " + (b & 0xff) + " has no token: not a byte-level vocabulary");
            }
            parts.add(one);
        }
        while (parts.size() > 1) {
            int best = -1;
            int bestRank = Integer.MAX_VALUE;
            for (int i = 0; i + 1 < parts.size(); i++) {
                Integer rank = ranks.get(ByteBuffer.wrap(concat(parts.get(i), parts.get(i + 1))));
                if (rank != null && (rank < bestRank || (!leftmostFirst && rank == bestRank))) {
                    bestRank = rank;
                    best = i;
                }
            }
            if (best < 0) {
                break;
            }
            parts.set(best, concat(parts.get(best), parts.remove(best + 1)));
        }
        int[] ids = new int[parts.size()];
        for (int i = 0; i < ids.length; i++) {
            ids[i] = ranks.get(ByteBuffer.wrap(parts.get(i)));
        }
        return ids;
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = new byte[a.length + b.length];
        System.arraycopy(a, 0, out, 0, a.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
