package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.transplant.EmbeddingTable;

import java.util.ArrayList;
import java.util.List;

/**
 * The tokens two tables share (anchors): OMP's dictionary atoms and FOCUS's overlap tokens. Tokens whose
 * auxiliary row is all zeros (too rare to be trained) carry no information there and are left out.
 */
public record Anchors(int[] baseRows, int[] auxiliaryRows) {
    public static Anchors between(EmbeddingTable base, EmbeddingTable auxiliary) {
        List<Integer> b = new ArrayList<>();
        List<Integer> a = new ArrayList<>();
        float[] aux = auxiliary.vectors().data();
        int d = auxiliary.dimension();
        for (int i = 0; i < base.tokens().size(); i++) {
            int j = auxiliary.indexOf(base.tokens().get(i));
            if (j < 0 || base.indexOf(base.tokens().get(i)) != i) {
                continue;
            }
            boolean zero = true;
            for (int k = 0; k < d && zero; k++) {
                zero = aux[j * d + k] == 0f;
            }
            if (!zero) {
                b.add(i);
                a.add(j);
            }
        }
        return new Anchors(b.stream().mapToInt(Integer::intValue).toArray(), a.stream().mapToInt(Integer::intValue).toArray());
    }

    public int size() {
        return baseRows.length;
    }
}
