package io.tokenlab.plugin.transplant.harness;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Scores transplant heuristics on one held-out split: every heuristic gets the same reduced base table,
 * donor table and old tokenizer, and must produce vectors for the held-out tokens. Scores are the mean
 * cosine to the true vector and the rank of the true token among all shared tokens by cosine to the
 * estimate (1 is best).
 */
public final class HeuristicsHarness {
    /** The scores of one heuristic. */
    public record Score(String heuristic, double meanCosine, double meanRank, double medianRank, double top10,
                        int heldOut, double seconds) {
    }

    private final HeldOutSplit split;
    private final EmbeddingTable donor;
    private final Tokenizer baseTokenizer;
    private final RunContext context;

    public HeuristicsHarness(HeldOutSplit split, EmbeddingTable donor, Tokenizer baseTokenizer, RunContext context) {
        this.split = split;
        this.donor = donor;
        this.baseTokenizer = baseTokenizer;
        this.context = context;
    }

    public HeldOutSplit split() {
        return split;
    }

    public Score score(String name, TransplantTechnique technique, Parameters parameters) {
        long t0 = System.nanoTime();
        EmbeddingTable out = technique.transplant(
                new TransplantRequest(split.reducedBase(), split.heldOut(), baseTokenizer, donor), parameters, context);
        double seconds = (System.nanoTime() - t0) / 1e9;
        return score(name, out.vectors(), seconds);
    }

    /** Scores estimates (row i for held-out token i). */
    public Score score(String name, FloatMatrix estimates, double seconds) {
        Compute compute = context.compute();
        int n = split.heldOut().size();
        FloatMatrix cos = compute.cosineSimilarity(estimates, split.truth());
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += cos.get(i, i);
        }
        FloatMatrix toShared = compute.cosineSimilarity(estimates, split.sharedBaseVectors());
        Map<String, Integer> sharedIndex = new java.util.HashMap<>();
        for (int j = 0; j < split.shared().size(); j++) {
            sharedIndex.put(split.shared().get(j), j);
        }
        int[] ranks = new int[n];
        for (int i = 0; i < n; i++) {
            int trueIndex = sharedIndex.get(split.heldOut().get(i));
            float own = toShared.get(i, trueIndex);
            int rank = 1;
            for (int j = 0; j < toShared.cols(); j++) {
                // ties count against the estimate: a constant vector must not rank first
                if (j != trueIndex && toShared.get(i, j) >= own) {
                    rank++;
                }
            }
            ranks[i] = rank;
        }
        int[] sorted = ranks.clone();
        Arrays.sort(sorted);
        double meanRank = Arrays.stream(ranks).average().orElse(0);
        long top10 = Arrays.stream(ranks).filter(r -> r <= 10).count();
        return new Score(name, sum / n, meanRank, sorted[n / 2], top10 / (double) n, n, seconds);
    }

    /** The parameters every heuristic gets in the comparison: no case-folded copies (they would leak truth). */
    public static Map<String, Object> commonParameters() {
        Map<String, Object> p = new LinkedHashMap<>();
        p.put("case.insensitive", false);
        return p;
    }
}
