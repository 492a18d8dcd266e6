package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.lm.TokenTree;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class NgramModelTest {
    private static final int V = 12;

    /** A Markov-ish stream with repeated phrases, so counts of 1, 2, 3 and more all occur. */
    static int[] stream(int length, long seed) {
        Random r = new Random(seed);
        int[] out = new int[length];
        int[][] phrases = {{1, 2, 3, 4}, {5, 6, 7}, {1, 2, 8}, {9, 10, 11, 0}};
        int i = 0;
        while (i < length) {
            if (r.nextDouble() < 0.7) {
                for (int t : phrases[r.nextInt(phrases.length)]) {
                    if (i < length) {
                        out[i++] = t;
                    }
                }
            } else {
                out[i++] = r.nextInt(V - 1);
            }
        }
        return out;
    }

    static NgramModel train(int[] stream, int order, long maxNgrams) {
        NgramCounter counter = new NgramCounter(order, V, maxNgrams);
        counter.accept(Arrays.copyOfRange(stream, 0, stream.length / 2));
        counter.accept(Arrays.copyOfRange(stream, stream.length / 2, stream.length));
        return counter.build("test " + V);
    }

    static double logSumExp(float[] row) {
        double max = Double.NEGATIVE_INFINITY;
        for (float x : row) {
            max = Math.max(max, x);
        }
        double s = 0;
        for (float x : row) {
            s += Math.exp(x - max);
        }
        return max + Math.log(s);
    }

    @Test
    void matchesTheTextbookFormulaExactly() {
        int[] data = stream(3000, 1);
        for (int order : new int[] {1, 2, 3, 4}) {
            NgramModel model = train(data, order, Long.MAX_VALUE);
            ReferenceKneserNey reference = new ReferenceKneserNey(data, order, V);
            Random r = new Random(order);
            for (int trial = 0; trial < 60; trial++) {
                int start = r.nextInt(data.length - 5);
                int[] context = Arrays.copyOfRange(data, start, start + r.nextInt(5));
                if (trial % 5 == 0) {
                    context = new int[] {r.nextInt(V), r.nextInt(V), r.nextInt(V)}; // mostly unseen contexts
                }
                float[] row = model.logProbabilities(context);
                for (int w = 0; w < V; w++) {
                    assertThat(Math.exp(row[w])).as("order %d context %s token %d", order, Arrays.toString(context), w)
                            .isCloseTo(reference.probability(context, w), within(2e-6));
                }
            }
        }
    }

    @Test
    void everyRowIsADistributionAndTheSingleTokenPathAgrees() {
        NgramModel model = train(stream(5000, 2), 3, Long.MAX_VALUE);
        Random r = new Random(3);
        for (int trial = 0; trial < 100; trial++) {
            int[] context = r.ints(r.nextInt(6), 0, V).toArray();
            float[] row = model.logProbabilities(context);
            assertThat(logSumExp(row)).isCloseTo(0.0, within(1e-5));
            int w = r.nextInt(V);
            assertThat(model.logProbability(context, w)).isCloseTo(row[w], within(1e-5));
        }
    }

    @Test
    void scoresATreeAsIfEachPathWereScoredAlone() {
        NgramModel model = train(stream(5000, 4), 4, Long.MAX_VALUE);
        Random r = new Random(5);
        int size = 40;
        int[] tokens = new int[size];
        int[] parents = new int[size];
        for (int n = 0; n < size; n++) {
            tokens[n] = r.nextInt(V);
            parents[n] = r.nextInt(n + 1) - 1;
        }
        TokenTree tree = new TokenTree(tokens, parents);
        int[] context = {1, 2, 3};
        float[][] rows = model.scoreTree(context, tree);
        assertThat(rows[0]).containsExactly(model.logProbabilities(context));
        for (int n = 0; n < size; n++) {
            int[] path = tree.path(n);
            int[] full = Arrays.copyOf(context, context.length + path.length);
            System.arraycopy(path, 0, full, context.length, path.length);
            assertThat(rows[n + 1]).as("node %d", n).containsExactly(model.logProbabilities(full));
        }
    }

    @Test
    void savesAndLoadsBitForBit(@TempDir Path dir) throws IOException {
        NgramModel model = train(stream(4000, 6), 3, Long.MAX_VALUE);
        Path file = dir.resolve("m.tlng");
        NgramModelFile.write(model, file);
        NgramModel loaded = NgramModelFile.read(file);
        assertThat(loaded.order()).isEqualTo(3);
        assertThat(loaded.tokenizerId()).isEqualTo(model.tokenizerId());
        assertThat(loaded.ngramCounts()).containsExactly(model.ngramCounts());
        Random r = new Random(7);
        for (int trial = 0; trial < 50; trial++) {
            int[] context = r.ints(r.nextInt(4), 0, V).toArray();
            assertThat(loaded.logProbabilities(context)).containsExactly(model.logProbabilities(context));
        }
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        bytes[bytes.length / 2] ^= 1;
        java.nio.file.Files.write(file, bytes);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> NgramModelFile.read(file))
                .hasMessageContaining("checksum");
    }

    @Test
    void staysWithinItsNgramBudgetAndRemainsNormalised() {
        int[] data = new Random(8).ints(20000, 0, V).toArray();
        NgramCounter counter = new NgramCounter(4, V, 3000);
        counter.accept(data);
        assertThat(counter.prunedNgrams()).isPositive();
        assertThat(counter.storedNgrams()).isLessThanOrEqualTo(3000);
        NgramModel model = counter.build("budget");
        Random r = new Random(9);
        for (int trial = 0; trial < 50; trial++) {
            assertThat(logSumExp(model.logProbabilities(r.ints(3, 0, V).toArray()))).isCloseTo(0.0, within(1e-5));
        }
    }
}
