package io.tokenlab.plugin.transplant.tokenadapt;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * TokenAdapt's two heuristics on tables small enough to work by hand. A uniform mean of the pieces,
 * length-only weights, or a global search over the shared tokens only each fail one of these.
 */
class TokenAdaptHandWorkedTest {
    private static final KitContext CONTEXT = new KitContext(new ScalarCompute());

    private static EmbeddingTable table(List<String> tokens, float[]... rows) {
        int d = rows[0].length;
        float[] data = new float[rows.length * d];
        for (int i = 0; i < rows.length; i++) {
            System.arraycopy(rows[i], 0, data, i * d, d);
        }
        return new EmbeddingTable(tokens, new FloatMatrix(rows.length, d, data));
    }

    /**
     * New token "abc", old pieces "ab" (2 characters) and "c" (1); in f, cos(abc, ab) = 0.8 and
     * cos(abc, c) = 0.6. softmax(0.8, 0.6) = (0.549834, 0.450166); with the length shares (2/3, 1/3)
     * the scores are (0.549834 + 0.666667) / 2 / 0.3 = 2.027501 and (0.450166 + 0.333333) / 2 / 0.3 =
     * 1.305832, whose softmax is (0.672974, 0.327026). A uniform mean would give 0.5 / 0.5, length alone
     * 0.635424 / 0.364576.
     */
    @Test
    void localWeightsWorkedByHand() {
        double[] w = TokenAdaptTechnique.localWeights(new double[] {0.8, 0.6}, new boolean[] {true, true},
                new int[] {2, 1}, 0.3);
        assertThat(w[0]).isCloseTo(0.672974, within(1e-6));
        assertThat(w[1]).isCloseTo(0.327026, within(1e-6));
        // a piece under the similarity threshold keeps its length share only: softmax((1 + 2/3) / 0.6, (0 + 1/3) / 0.6)
        double[] thresholded = TokenAdaptTechnique.localWeights(new double[] {0.8, 0.6}, new boolean[] {true, false},
                new int[] {2, 1}, 0.3);
        assertThat(thresholded[0]).isCloseTo(0.902227, within(1e-6));
    }

    /** The same case through the whole technique: the local estimate is 0.672974 E[ab] + 0.327026 E[c]. */
    @Test
    void localEstimateOfTheTechniqueUsesThoseWeights() {
        EmbeddingTable base = table(List.of("ab", "c", "a", "b"),
                new float[] {1, 0, 0}, new float[] {0, 1, 0}, new float[] {0, 0, 1}, new float[] {0, 0, -1});
        // f: abc = (1, 0); ab at cos 0.8, c at cos 0.6; a and b far away
        EmbeddingTable aux = table(List.of("abc", "ab", "c", "a", "b"),
                new float[] {1, 0}, new float[] {0.8f, 0.6f}, new float[] {0.6f, 0.8f}, new float[] {-1, 0},
                new float[] {-1, 0.1f});
        TransplantRequest request = new TransplantRequest(base, List.of("abc"), null, aux);
        EmbeddingTable out = new TokenAdaptTechnique().transplant(request,
                Parameters.of(Map.of("global.weight", 0.0, "similarity.threshold", -1.0)), CONTEXT);
        assertThat(out.vectors().get(0, 0)).isCloseTo(0.672974f, within(1e-5f));
        assertThat(out.vectors().get(0, 1)).isCloseTo(0.327026f, within(1e-5f));
        assertThat(out.vectors().get(0, 2)).isCloseTo(0f, within(1e-6f));
    }

    /**
     * The global search covers old tokens the auxiliary table does not have. "xyz" is an old token
     * only: f embeds it from its auxiliary pieces "xy" (2 characters) and "z" (1) as the normalised
     * (2 f(xy) + f(z)); that lies at cos 0.997 to the new token "xyzw", nearer than any shared token,
     * so with one neighbour the global estimate is E[xyz].
     */
    @Test
    void globalSearchRunsOverTheWholeOldVocabulary() {
        EmbeddingTable base = table(List.of("xyz", "q", "r"),
                new float[] {1, 2}, new float[] {5, 5}, new float[] {-3, 1});
        EmbeddingTable aux = table(List.of("xyzw", "xy", "z", "q", "r"),
                new float[] {0.9f, 0.44f}, new float[] {1, 0}, new float[] {0.6f, 0.8f}, new float[] {0, 1},
                new float[] {-1, 0});
        AuxiliaryEmbedder f = new AuxiliaryEmbedder(aux, new ScalarCompute().normalizeRows(aux.vectors()));
        float[] xyz = f.embed("xyz");
        double n = Math.hypot(2.6, 0.8);
        assertThat(xyz).containsExactly(new float[] {(float) (2.6 / n), (float) (0.8 / n)}, within(1e-6f));
        TransplantRequest request = new TransplantRequest(base, List.of("xyzw"), null, aux);
        EmbeddingTable out = new TokenAdaptTechnique().transplant(request,
                Parameters.of(Map.of("global.weight", 1.0, "top.k", 1, "similarity.threshold", -1.0)), CONTEXT);
        assertThat(out.vectors().rowCopy(0)).containsExactly(new float[] {1, 2}, within(1e-6f));
    }

    /**
     * The global weights worked by hand: neighbours at cos 0.9 and 0.8 (a third at 0.1 falls outside
     * top-2) weigh softmax(0.9 / 0.3, 0.8 / 0.3) = (0.582570, 0.417430); a threshold of 0.85 keeps the
     * first alone.
     */
    @Test
    void globalWeightsWorkedByHand() {
        EmbeddingTable base = table(List.of("o1", "o2", "o3"), new float[] {1, 0}, new float[] {0, 1}, new float[] {7, 7});
        float s1 = (float) Math.sqrt(1 - 0.81);
        float s2 = (float) Math.sqrt(1 - 0.64);
        float s3 = (float) Math.sqrt(1 - 0.01);
        EmbeddingTable aux = table(List.of("t", "o1", "o2", "o3"), new float[] {1, 0, 0}, new float[] {0.9f, s1, 0},
                new float[] {0.8f, 0, s2}, new float[] {0.1f, -s3, 0});
        TransplantRequest request = new TransplantRequest(base, List.of("t"), null, aux);
        EmbeddingTable two = new TokenAdaptTechnique().transplant(request,
                Parameters.of(Map.of("global.weight", 1.0, "top.k", 2, "similarity.threshold", -1.0)), CONTEXT);
        assertThat(two.vectors().rowCopy(0)).containsExactly(new float[] {0.582570f, 0.417430f}, within(1e-5f));
        EmbeddingTable strict = new TokenAdaptTechnique().transplant(request,
                Parameters.of(Map.of("global.weight", 1.0, "top.k", 2, "similarity.threshold", 0.85)), CONTEXT);
        assertThat(strict.vectors().rowCopy(0)).containsExactly(new float[] {1, 0}, within(1e-6f));
    }

    /**
     * f of strings the auxiliary table lacks: "pqr" splits by longest match into "pq" (2 characters)
     * and "r" (1); "p" has a zero vector, so "pr" is "r" alone after skipping it ("p" is then covered
     * by nothing); "zz" has no piece at all.
     */
    @Test
    void embedderComposesUnseenStringsFromLongestPieces() {
        EmbeddingTable aux = table(List.of("p", "pq", "r", "s"), new float[] {0, 0, 0}, new float[] {0, 3, 0},
                new float[] {0, 0, 2}, new float[] {1, 0, 0});
        AuxiliaryEmbedder f = new AuxiliaryEmbedder(aux, new ScalarCompute().normalizeRows(aux.vectors()));
        double n = Math.hypot(2, 1);
        assertThat(f.embed("pqr")).containsExactly(new float[] {0, (float) (2 / n), (float) (1 / n)}, within(1e-6f));
        assertThat(f.embed("pr")).containsExactly(new float[] {0, 0, 1}, within(1e-6f));
        assertThat(f.embed("s")).containsExactly(new float[] {1, 0, 0}, within(1e-6f));
        assertThat(f.embed("p")).isNull();
        assertThat(f.embed("zz")).isNull();
        AuxiliaryEmbedder.Embedded all = f.embedAll(List.of("zz", "pqr", "p", "s"));
        assertThat(all.indices()).containsExactly(1, 3);
        assertThat(all.vectors().rowCopy(1)).containsExactly(new float[] {1, 0, 0}, within(1e-6f));
    }
}
