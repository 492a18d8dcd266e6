package io.tokenlab.plugin.transplant.harness;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;

/**
 * The hold-out protocol: of the tokens both spaces have (non-zero) vectors for, a seeded random fraction
 * is removed from the base table. A heuristic must rebuild their base vectors from the donor space and
 * the rest of the base table; the removed vectors are the truth it is scored against.
 */
public record HeldOutSplit(EmbeddingTable reducedBase, List<String> heldOut, FloatMatrix truth,
                           List<String> shared, FloatMatrix sharedBaseVectors) {

    public static HeldOutSplit of(EmbeddingTable base, EmbeddingTable donor, double fraction, long seed) {
        List<String> shared = new ArrayList<>();
        List<Integer> sharedRows = new ArrayList<>();
        for (int i = 0; i < base.tokens().size(); i++) {
            String t = base.tokens().get(i);
            int j = donor.indexOf(t);
            if (j >= 0 && base.indexOf(t) == i && nonZero(base.vectors(), i) && nonZero(donor.vectors(), j)) {
                shared.add(t);
                sharedRows.add(i);
            }
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < shared.size(); i++) {
            order.add(i);
        }
        java.util.Collections.shuffle(order, new Random(seed));
        int count = Math.max(1, (int) Math.round(shared.size() * fraction));
        List<String> heldOut = new ArrayList<>();
        int[] truthRows = new int[count];
        Set<Integer> removed = new HashSet<>();
        for (int i = 0; i < count; i++) {
            int s = order.get(i);
            heldOut.add(shared.get(s));
            truthRows[i] = sharedRows.get(s);
            removed.add(sharedRows.get(s));
        }
        List<String> keptTokens = new ArrayList<>();
        int[] kept = new int[base.tokens().size() - removed.size()];
        int n = 0;
        for (int i = 0; i < base.tokens().size(); i++) {
            if (!removed.contains(i)) {
                keptTokens.add(base.tokens().get(i));
                kept[n++] = i;
            }
        }
        EmbeddingTable reduced = new EmbeddingTable(keptTokens, base.vectors().selectRows(kept));
        FloatMatrix sharedVectors = base.vectors().selectRows(sharedRows.stream().mapToInt(Integer::intValue).toArray());
        return new HeldOutSplit(reduced, heldOut, base.vectors().selectRows(truthRows), shared, sharedVectors);
    }

    private static boolean nonZero(FloatMatrix m, int row) {
        for (int j = 0; j < m.cols(); j++) {
            if (m.get(row, j) != 0f) {
                return true;
            }
        }
        return false;
    }
}
