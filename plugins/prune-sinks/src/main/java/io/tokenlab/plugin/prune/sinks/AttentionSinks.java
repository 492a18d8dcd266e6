package io.tokenlab.plugin.prune.sinks;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.ArrayList;
import java.util.List;

/**
 * Attention-sink detection after Guo et al. (2024, "Active-Dormant Attention Heads: Mechanistically
 * Demystifying Extreme-Token Phenomena in LLMs").
 *
 * <p>Input: H heads, each a Q x N attention map (rows are queries, each row a distribution over the N
 * keys). Two tests:
 * <ul>
 *   <li><b>mass test</b>: token k is a sink of a head when the mean over queries of the attention it
 *   receives exceeds {@code sinkMass} and is at least twice the uniform share 1/N (the second
 *   condition keeps tiny sets, where 1/N itself is large, from calling every token a sink);</li>
 *   <li><b>entropy test</b>: a head is dormant when its mean normalised row entropy (H(row) / ln N) is
 *   below {@code rowEntropy} (each query looks at few keys) and its largest normalised column entropy
 *   (entropy over queries of a column's share, / ln Q) is above {@code columnEntropy} (some key is
 *   looked at by all queries alike), and it has at least one sink, so that its mass is concentrated on
 *   sinks. A sharp head that looks at a different key per query (e.g. the previous token) passes the
 *   row test but fails the column test, and stays active.</li>
 * </ul>
 * A token is a sink of the set when it is a sink of any head.
 */
public final class AttentionSinks {
    private final double sinkMass;
    private final double rowEntropy;
    private final double columnEntropy;

    /** The outcome: per-head statistics and the flags. */
    public record Report(boolean[] sinkTokens, boolean[] dormantHeads, double[][] receivedMass,
                         double[] meanRowEntropy, double[] maxColumnEntropy) {
        public int sinkCount() {
            return count(sinkTokens);
        }

        public int dormantCount() {
            return count(dormantHeads);
        }

        /** Mean over the active heads (all heads when every head is dormant) of the mass each token receives. */
        public double[] massFromActiveHeads() {
            int heads = dormantHeads.length;
            int n = sinkTokens.length;
            boolean allDormant = dormantCount() == heads;
            double[] mass = new double[n];
            int used = 0;
            for (int h = 0; h < heads; h++) {
                if (allDormant || !dormantHeads[h]) {
                    used++;
                    for (int k = 0; k < n; k++) {
                        mass[k] += receivedMass[h][k];
                    }
                }
            }
            for (int k = 0; k < n; k++) {
                mass[k] /= used;
            }
            return mass;
        }

        private static int count(boolean[] flags) {
            int c = 0;
            for (boolean f : flags) {
                c += f ? 1 : 0;
            }
            return c;
        }
    }

    public AttentionSinks(double sinkMass, double rowEntropy, double columnEntropy) {
        if (!(sinkMass > 0 && sinkMass < 1)) {
            throw new IllegalArgumentException("sink mass threshold " + sinkMass + " is outside (0, 1)");
        }
        if (!(rowEntropy > 0 && rowEntropy <= 1) || !(columnEntropy >= 0 && columnEntropy < 1)) {
            throw new IllegalArgumentException("entropy thresholds " + rowEntropy + ", " + columnEntropy
                    + " must lie in (0, 1] and [0, 1): they compare entropies normalised to [0, 1]");
        }
        this.sinkMass = sinkMass;
        this.rowEntropy = rowEntropy;
        this.columnEntropy = columnEntropy;
    }

    /**
     * Splits a (H * Q) x N map, heads stacked along rows (head h holds rows [h * Q, (h + 1) * Q)), into
     * its H heads.
     */
    public static List<FloatMatrix> splitHeads(FloatMatrix stacked, int heads) {
        if (heads < 1 || stacked.rows() % heads != 0) {
            throw new TechniqueException("attention has " + stacked.rows() + " rows, which do not split into "
                    + heads + " heads of equal query count");
        }
        int q = stacked.rows() / heads;
        List<FloatMatrix> out = new ArrayList<>(heads);
        for (int h = 0; h < heads; h++) {
            int[] rows = new int[q];
            for (int i = 0; i < q; i++) {
                rows[i] = h * q + i;
            }
            out.add(stacked.selectRows(rows));
        }
        return out;
    }

    public Report detect(List<FloatMatrix> heads) {
        if (heads.isEmpty()) {
            throw new TechniqueException("no attention heads given");
        }
        int n = heads.get(0).cols();
        int q = heads.get(0).rows();
        if (n < 2 || q < 2) {
            throw new TechniqueException("attention maps are " + heads.get(0).shape() + "; the entropy tests need "
                    + "at least 2 queries and 2 keys");
        }
        int count = heads.size();
        boolean[] sinks = new boolean[n];
        boolean[] dormant = new boolean[count];
        double[][] mass = new double[count][];
        double[] rowH = new double[count];
        double[] colH = new double[count];
        for (int h = 0; h < count; h++) {
            FloatMatrix a = heads.get(h);
            if (a.rows() != q || a.cols() != n) {
                throw new TechniqueException("head " + h + " is " + a.shape() + " but head 0 is " + q + "x" + n);
            }
            checkDistributions(a, h);
            mass[h] = columnMeans(a);
            rowH[h] = meanRowEntropy(a);
            colH[h] = maxColumnEntropy(a);
            boolean hasSink = false;
            for (int k = 0; k < n; k++) {
                if (mass[h][k] > sinkMass && mass[h][k] >= 2.0 / n) {
                    sinks[k] = true;
                    hasSink = true;
                }
            }
            dormant[h] = hasSink && rowH[h] < rowEntropy && colH[h] > columnEntropy;
        }
        return new Report(sinks, dormant, mass, rowH, colH);
    }

    private static void checkDistributions(FloatMatrix a, int head) {
        for (int i = 0; i < a.rows(); i++) {
            double sum = 0;
            for (int k = 0; k < a.cols(); k++) {
                float v = a.get(i, k);
                if (!(v >= 0) || !Float.isFinite(v)) {
                    throw new TechniqueException("head " + head + " attention (" + i + ", " + k + ") is " + v
                            + "; attention weights must be finite and non-negative");
                }
                sum += v;
            }
            if (Math.abs(sum - 1) > 1e-3) {
                throw new TechniqueException("head " + head + " query " + i + " sums to " + sum
                        + "; attention rows must be distributions over the keys (softmax outputs)");
            }
        }
    }

    private static double[] columnMeans(FloatMatrix a) {
        double[] m = new double[a.cols()];
        for (int i = 0; i < a.rows(); i++) {
            for (int k = 0; k < a.cols(); k++) {
                m[k] += a.get(i, k);
            }
        }
        for (int k = 0; k < m.length; k++) {
            m[k] /= a.rows();
        }
        return m;
    }

    private static double meanRowEntropy(FloatMatrix a) {
        double total = 0;
        for (int i = 0; i < a.rows(); i++) {
            double h = 0;
            for (int k = 0; k < a.cols(); k++) {
                h -= xlogx(a.get(i, k));
            }
            total += h / Math.log(a.cols());
        }
        return total / a.rows();
    }

    private static double maxColumnEntropy(FloatMatrix a) {
        double best = 0;
        for (int k = 0; k < a.cols(); k++) {
            double sum = 0;
            for (int i = 0; i < a.rows(); i++) {
                sum += a.get(i, k);
            }
            if (sum <= 0) {
                continue;
            }
            double h = 0;
            for (int i = 0; i < a.rows(); i++) {
                h -= xlogx(a.get(i, k) / sum);
            }
            best = Math.max(best, h / Math.log(a.rows()));
        }
        return best;
    }

    private static double xlogx(double p) {
        return p > 0 ? p * Math.log(p) : 0;
    }
}
