package io.tokenlab.plugin.prune.divprune;

import io.tokenlab.plugin.prune.testing.PythonReference;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.PruneConformance;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DivPruneTest extends PruneConformance {
    private static final VectorCompute VECTOR = new VectorCompute();
    private static final Compute SCALAR = new ScalarCompute();

    @TempDir
    Path temp;

    @AfterAll
    static void closeBackend() {
        VECTOR.close();
    }

    @Override
    protected PruneTechnique technique() {
        return new DivPruneTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.098));
    }

    @Override
    protected RunContext context() {
        return new KitContext(SCALAR);
    }

    /**
     * Tokens shaped like projected visual tokens: a shared offset (their cosines are mostly high),
     * a few clusters (objects, background) and per-token noise.
     */
    static FloatMatrix visualLikeTokens(int n, int d, int clusters, long seed) {
        Random r = new Random(seed);
        float[] offset = new float[d];
        for (int j = 0; j < d; j++) {
            offset[j] = (float) r.nextGaussian();
        }
        float[][] centres = new float[clusters][d];
        for (float[] c : centres) {
            for (int j = 0; j < d; j++) {
                c[j] = (float) r.nextGaussian();
            }
        }
        float[] f = new float[n * d];
        for (int i = 0; i < n; i++) {
            float[] c = centres[r.nextInt(clusters)];
            for (int j = 0; j < d; j++) {
                f[i * d + j] = offset[j] + c[j] + 0.6f * (float) r.nextGaussian();
            }
        }
        return new FloatMatrix(n, d, f);
    }

    private static int[] order(FloatMatrix features, int keep, Compute compute) {
        return MaxMinDiversity.greedyOrder(MaxMinDiversity.cosineDistances(features, compute), features.rows(), keep);
    }

    /**
     * Features whose cosines every float implementation computes exactly: each row has exactly 256
     * entries of +-1 (norm 16, so unit entries are +-1/16) and every partial sum of products is a
     * multiple of 1/256 far inside float's range. Equal distances are then truly equal everywhere, so
     * the selection, ties to the lowest index included, must match the reference token for token.
     */
    static FloatMatrix exactArithmeticTokens(int n, int d, int clusters, long seed) {
        Random r = new Random(seed);
        int nonZero = 256;
        int[][] prototypes = new int[clusters][d];
        for (int[] p : prototypes) {
            for (int j = 0; j < d; j++) {
                p[j] = r.nextInt(3) - 1;
            }
        }
        float[] f = new float[n * d];
        for (int i = 0; i < n; i++) {
            int[] p = prototypes[r.nextInt(clusters)];
            int placed = 0;
            boolean[] used = new boolean[d];
            // start from the prototype's support so that cluster members share most coordinates
            for (int j = r.nextInt(d); placed < nonZero * 3 / 4; j = (j + 1) % d) {
                if (p[j] != 0 && !used[j]) {
                    used[j] = true;
                    f[i * d + j] = p[j];
                    placed++;
                }
            }
            while (placed < nonZero) {
                int j = r.nextInt(d);
                if (!used[j]) {
                    used[j] = true;
                    f[i * d + j] = r.nextBoolean() ? 1f : -1f;
                    placed++;
                }
            }
        }
        return new FloatMatrix(n, d, f);
    }

    /** Unit vectors in the plane at the given angles: 1 - cos grows with the angle between two of them. */
    static FloatMatrix atAngles(double... degrees) {
        float[] f = new float[degrees.length * 2];
        for (int i = 0; i < degrees.length; i++) {
            f[2 * i] = (float) Math.cos(Math.toRadians(degrees[i]));
            f[2 * i + 1] = (float) Math.sin(Math.toRadians(degrees[i]));
        }
        return new FloatMatrix(degrees.length, 2, f);
    }

    /**
     * The paper's seed and greedy worked by hand, no PyTorch needed. Tokens at 0, 5, 60, 120 and 125
     * degrees: nearest-neighbour angles are 5, 5, 55, 5, 5, so the seed is token 2 (the largest
     * nearest-neighbour distance, 1 - cos 55 = 0.4264), not token 0. Farthest from {2}: token 4
     * (65 degrees, against 60 for token 0). Then min distance to {2, 4}: token 0 60, token 1 55,
     * token 3 5 degrees, so token 0. A greedy seeded at token 0 would keep {0, 4} at M = 2.
     */
    @Test
    void seedIsTheTokenWhoseNearestNeighbourIsFarthestWorkedByHand() {
        FloatMatrix tokens = atAngles(0, 5, 60, 120, 125);
        float[] d = MaxMinDiversity.cosineDistances(tokens, SCALAR);
        assertThat(d[2 * 5 + 1]).isCloseTo((float) (1 - Math.cos(Math.toRadians(55))), org.assertj.core.data.Offset.offset(1e-6f));
        assertThat(MaxMinDiversity.greedyOrder(d, 5, 3)).containsExactly(2, 4, 0);
        assertThat(technique().select(TokenSet.of(tokens), 1, validParameters(), context())).containsExactly(2);
        assertThat(technique().select(TokenSet.of(tokens), 2, validParameters(), context())).containsExactly(2, 4);
        assertThat(technique().select(TokenSet.of(tokens), 3, validParameters(), context())).containsExactly(0, 2, 4);
        // the objective of the hand-computed pick: min pairwise angle 60 degrees (tokens 0 and 2)
        assertThat(MaxMinDiversity.minPairwiseDistance(d, 5, new int[] {2, 4, 0}))
                .isCloseTo(0.5f, org.assertj.core.data.Offset.offset(1e-6f));
    }

    /** The seed ignores the zero self-distance even when it is not the first of a column (token 3 here). */
    @Test
    void seedLooksPastTheSelfDistanceInEveryColumn() {
        // angles 0, 10, 20, 90: nearest neighbours 10, 10, 10 and 70 degrees, so token 3 seeds
        FloatMatrix tokens = atAngles(0, 10, 20, 90);
        float[] d = MaxMinDiversity.cosineDistances(tokens, SCALAR);
        assertThat(MaxMinDiversity.greedyOrder(d, 4, 3)).containsExactly(3, 0, 2);
    }

    /** Runs the transcription on every case in one process; returns each case's order and seconds. */
    private List<PythonReference.Result> reference(List<FloatMatrix> inputs, int[] keeps, int repeats) throws Exception {
        List<String> args = new java.util.ArrayList<>(List.of(Integer.toString(repeats)));
        for (int c = 0; c < inputs.size(); c++) {
            Path file = temp.resolve("features-" + c + ".npy");
            PythonReference.writeNpy(file, inputs.get(c));
            args.add(file.toString());
            args.add(Integer.toString(keeps[c]));
        }
        return List.of(PythonReference.script("divprune_reference.py", args, 900));
    }

    @Test
    void choosesExactlyWhatThePyTorchTranscriptionChooses() throws Exception {
        PythonReference.assumeTorch();
        List<FloatMatrix> inputs = List.of(exactArithmeticTokens(576, 1024, 12, 10),
                exactArithmeticTokens(400, 512, 3, 14), visualLikeTokens(576, 256, 12, 11),
                visualLikeTokens(300, 64, 40, 12), visualLikeTokens(50, 16, 3, 13));
        int[] keeps = {56, 300, 56, 200, 50};
        PythonReference.Result py = reference(inputs, keeps, 1).get(0);
        for (int c = 0; c < inputs.size(); c++) {
            int[] expected = PythonReference.ints(PythonReference.field(py, "order " + c));
            FloatMatrix features = inputs.get(c);
            // the scalar reference on the small continuous cases only: it is slow, and backend parity has its own test
            for (Compute backend : c >= 2 ? List.of(VECTOR, SCALAR) : List.<Compute>of(VECTOR)) {
                int[] mine = order(features, keeps[c], backend);
                assertThat(mine).as(() -> divergence(features, mine, expected)).containsExactly(expected);
            }
        }
    }

    @Test
    void keepsTheReferenceRatioThroughTheStageParameters() {
        FloatMatrix features = visualLikeTokens(576, 32, 8, 3);
        int keep = (int) Math.round(576 * 0.098);
        int[] kept = technique().select(TokenSet.of(features), keep, validParameters(), new KitContext(VECTOR));
        assertThat(kept).hasSize(56);
        int[] expected = order(features, keep, SCALAR);
        Arrays.sort(expected);
        assertThat(kept).containsExactly(expected);
    }

    @Test
    void maxMinObjectiveBeatsRandomAndTopNormSelections() {
        Random r = new Random(21);
        for (long seed = 0; seed < 5; seed++) {
            FloatMatrix features = visualLikeTokens(400, 48, 10, 100 + seed);
            int n = features.rows();
            int keep = 40;
            float[] distances = MaxMinDiversity.cosineDistances(features, SCALAR);
            float greedy = MaxMinDiversity.minPairwiseDistance(distances, n,
                    MaxMinDiversity.greedyOrder(distances, n, keep));
            float bestRandom = Float.NEGATIVE_INFINITY;
            for (int trial = 0; trial < 50; trial++) {
                bestRandom = Math.max(bestRandom, MaxMinDiversity.minPairwiseDistance(distances, n,
                        randomSubset(n, keep, r)));
            }
            float topNorm = MaxMinDiversity.minPairwiseDistance(distances, n, topByNorm(features, keep));
            assertThat(greedy).as("seed %d: greedy vs best of 50 random", seed).isGreaterThan(bestRandom);
            assertThat(greedy).as("seed %d: greedy vs top-norm", seed).isGreaterThan(topNorm);
        }
    }

    @Test
    void greedyIsWithinTheMetricBoundOfTheBruteForceOptimum() {
        // 1 - cos is not a metric, so the greedy's 2-approximation holds for the angle arccos(cos)
        // instead; both order pairs the same way, so the greedy and the optimum are the same sets
        int compared = 0;
        double worstRatio = 1;
        for (long seed = 0; seed < 12; seed++) {
            int n = 12 + (int) (seed % 5);
            int keep = 3 + (int) (seed % 4);
            FloatMatrix features = visualLikeTokens(n, 6, 4, 500 + seed);
            float[] distances = MaxMinDiversity.cosineDistances(features, SCALAR);
            int[] greedy = MaxMinDiversity.greedyOrder(distances, n, keep);
            float greedyValue = MaxMinDiversity.minPairwiseDistance(distances, n, greedy);
            float optimum = bruteForceMaxMin(distances, n, keep);
            assertThat(greedyValue).isLessThanOrEqualTo(optimum);
            assertThat(angle(greedyValue)).as("seed %d", seed).isGreaterThanOrEqualTo(angle(optimum) / 2 - 1e-6);
            worstRatio = Math.min(worstRatio, greedyValue / optimum);
            compared++;
        }
        System.out.printf("DivPrune vs brute force on %d sets (N 12..16, M 3..6): worst greedy/optimum %.3f in 1-cos%n",
                compared, worstRatio);
    }

    @Test
    void vectorAndScalarBackendsChooseTheSameTokens() {
        FloatMatrix features = visualLikeTokens(700, 96, 15, 9);
        assertThat(order(features, 120, VECTOR)).containsExactly(order(features, 120, SCALAR));
    }

    /**
     * One token: the greedy's first pick is the only candidate, so keeping one keeps it (the runtime refuses a
     * keep.ratio that rounds to zero tokens before the technique is called).
     */
    @Test
    void aSingleTokenIsKept() {
        FloatMatrix one = new FloatMatrix(1, 4, new float[] {0.5f, -1f, 2f, 0.25f});
        assertThat(technique().select(TokenSet.of(one), 1, validParameters(), context())).containsExactly(0);
        assertThat(technique().select(TokenSet.of(one), 0, validParameters(), context())).isEmpty();
    }

    @Test
    void duplicatedTokensAreNeverChosenTwice() {
        FloatMatrix base = visualLikeTokens(5, 8, 2, 4);
        int[] repeated = new int[20];
        for (int i = 0; i < repeated.length; i++) {
            repeated[i] = i % 5;
        }
        int[] kept = technique().select(TokenSet.of(base.selectRows(repeated)), 12, validParameters(), context());
        assertThat(kept).doesNotHaveDuplicates().hasSize(12);
    }

    @Test
    void badInputIsAClearError() {
        TokenSet good = TokenSet.of(visualLikeTokens(20, 8, 2, 5));
        for (double ratio : new double[] {0.0, -0.1, 1.5, Double.NaN}) {
            assertThatThrownBy(() -> technique().select(good, 2, Parameters.of(Map.of("keep.ratio", ratio)), context()))
                    .isInstanceOf(InvalidParameterException.class).hasMessageContaining("keep.ratio")
                    .hasMessageContaining("(0, 1]");
        }
        assertThatThrownBy(() -> technique().select(TokenSet.of(FloatMatrix.zeros(0, 8)), 0, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("N = 0");
        FloatMatrix withNaN = visualLikeTokens(20, 8, 2, 6);
        withNaN.set(7, 3, Float.NaN);
        assertThatThrownBy(() -> technique().select(TokenSet.of(withNaN), 2, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("(7, 3)").hasMessageContaining("NaN");
        FloatMatrix withZeroRow = visualLikeTokens(20, 8, 2, 7);
        Arrays.fill(withZeroRow.data(), 8 * 4, 8 * 5, 0f);
        assertThatThrownBy(() -> technique().select(TokenSet.of(withZeroRow), 2, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("token 4");
        assertThatThrownBy(() -> MaxMinDiversity.greedyOrder(new float[12], 4, 2))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("4 x 4");
    }

    /**
     * The acceptance's speed figure: whole runs (distances included) against the PyTorch
     * transcription at N = 576 and 2880, D = 4096. Opt-in because it needs ~1 GB and a minute:
     * {@code mvn -o test -f plugins/prune-divprune/pom.xml -Dtokenlab.speed=true -Dtest=DivPruneTest#speed*}
     */
    @Test
    @EnabledIfSystemProperty(named = "tokenlab.speed", matches = "true")
    void speedAgainstThePyTorchTranscription() throws Exception {
        // tokenlab: best of the last 3 of 6 runs; PyTorch: best of 3 (its kernels are compiled ahead of time)
        PythonReference.assumeTorch();
        int[] sizes = {576, 2880};
        List<FloatMatrix> inputs = new java.util.ArrayList<>();
        int[] keeps = new int[sizes.length];
        for (int c = 0; c < sizes.length; c++) {
            inputs.add(exactArithmeticTokens(sizes[c], 4096, 24, sizes[c]));
            keeps[c] = (int) Math.round(sizes[c] * 0.098);
        }
        PythonReference.Result py = reference(inputs, keeps, 3).get(0);
        System.out.println("DivPrune speed, D = 4096, keep ratio 0.098, best of 3 whole runs; tokenlab on "
                + VECTOR.describe() + "; PyTorch " + PythonReference.field(
                PythonReference.script("torch_threads.py", List.of(), 120), "torch"));
        for (int c = 0; c < sizes.length; c++) {
            FloatMatrix features = inputs.get(c);
            double pySeconds = Double.parseDouble(PythonReference.field(py, "seconds " + c));
            int[] mine = new int[0];
            double javaSeconds = Double.POSITIVE_INFINITY;
            for (int run = 0; run < 6; run++) {
                long start = System.nanoTime();
                mine = order(features, keeps[c], VECTOR);
                double seconds = (System.nanoTime() - start) / 1e9;
                if (run > 2) { // the first runs warm the JIT (the vector kernels compile in stages)
                    javaSeconds = Math.min(javaSeconds, seconds);
                }
            }
            int[] theirs = PythonReference.ints(PythonReference.field(py, "order " + c));
            int[] ours = mine;
            boolean identical = Arrays.equals(ours, theirs);
            System.out.printf("N = %4d, keep %3d: PyTorch %.4f s, tokenlab %.4f s, speed-up %.2fx, identical selection: %s%n",
                    sizes[c], keeps[c], pySeconds, javaSeconds, pySeconds / javaSeconds, identical);
            assertThat(identical).as(() -> divergence(features, ours, theirs)).isTrue();
        }
    }

    /**
     * Where two selection orders part and how far apart the two candidates were in exact (double)
     * arithmetic: a gap below float rounding is a tie that no float implementation decides reliably.
     */
    static String divergence(FloatMatrix features, int[] mine, int[] theirs) {
        int step = 0;
        while (step < Math.min(mine.length, theirs.length) && mine[step] == theirs[step]) {
            step++;
        }
        if (step == Math.min(mine.length, theirs.length)) {
            return "orders differ in length: " + mine.length + " vs " + theirs.length;
        }
        double[] a = nearestKeptExactly(features, Arrays.copyOf(mine, step), mine[step]);
        double[] b = nearestKeptExactly(features, Arrays.copyOf(mine, step), theirs[step]);
        return String.format("first difference at step %d: tokenlab chose %d (exact score %.9f), PyTorch %d (%.9f)",
                step, mine[step], a[0], theirs[step], b[0]);
    }

    /** The greedy's score of one candidate in double precision: its nearest-neighbour distance at step 0, else its distance to the nearest kept token. */
    private static double[] nearestKeptExactly(FloatMatrix f, int[] kept, int candidate) {
        int n = f.rows();
        double best = Double.POSITIVE_INFINITY;
        double second = Double.POSITIVE_INFINITY;
        int[] others = kept.length > 0 ? kept : java.util.stream.IntStream.range(0, n).toArray();
        for (int other : others) {
            double dot = 0, na = 0, nb = 0;
            for (int j = 0; j < f.cols(); j++) {
                double x = f.get(candidate, j);
                double y = f.get(other, j);
                dot += x * y;
                na += x * x;
                nb += y * y;
            }
            double d = 1 - dot / Math.sqrt(na * nb);
            if (d < best) {
                second = best;
                best = d;
            } else if (d < second) {
                second = d;
            }
        }
        return new double[] {kept.length > 0 ? best : second};
    }

    private static double angle(float cosineDistance) {
        return Math.acos(Math.max(-1.0, Math.min(1.0, 1.0 - cosineDistance)));
    }

    private static float bruteForceMaxMin(float[] distances, int n, int keep) {
        float best = Float.NEGATIVE_INFINITY;
        for (int mask = 0; mask < 1 << n; mask++) {
            if (Integer.bitCount(mask) != keep) {
                continue;
            }
            int[] subset = new int[keep];
            int k = 0;
            for (int i = 0; i < n; i++) {
                if ((mask & 1 << i) != 0) {
                    subset[k++] = i;
                }
            }
            best = Math.max(best, MaxMinDiversity.minPairwiseDistance(distances, n, subset));
        }
        return best;
    }

    private static int[] randomSubset(int n, int keep, Random r) {
        int[] all = new int[n];
        for (int i = 0; i < n; i++) {
            all[i] = i;
        }
        for (int i = 0; i < keep; i++) {
            int j = i + r.nextInt(n - i);
            int t = all[i];
            all[i] = all[j];
            all[j] = t;
        }
        return Arrays.copyOf(all, keep);
    }

    private static int[] topByNorm(FloatMatrix features, int keep) {
        float[] norms = SCALAR.rowNorms(features);
        return java.util.stream.IntStream.range(0, features.rows()).boxed()
                .sorted((a, b) -> Float.compare(norms[b], norms[a])).limit(keep).mapToInt(Integer::intValue).toArray();
    }
}
