package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class PpmiSvdTrainerTest {
    @Test
    void randomizedSvdFindsTheLeadingSingularValues() {
        // a 300 x 120 sparse matrix with a known spectrum: U diag(s) V^T with orthonormal U, V from Jacobi
        Random r = new Random(1);
        int m = 300;
        int n = 120;
        float[] dense = new float[m * n];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = r.nextDouble() < 0.2 ? (float) r.nextGaussian() : 0f;
        }
        int[] start = new int[m + 1];
        List<Integer> cols = new ArrayList<>();
        List<Float> vals = new ArrayList<>();
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                if (dense[i * n + j] != 0f) {
                    cols.add(j);
                    vals.add(dense[i * n + j]);
                }
            }
            start[i + 1] = cols.size();
        }
        float[] v = new float[vals.size()];
        for (int i = 0; i < v.length; i++) {
            v[i] = vals.get(i);
        }
        SparseRows a = new SparseRows(m, n, start, cols.stream().mapToInt(Integer::intValue).toArray(), v);
        RandomizedSvd.Result svd = RandomizedSvd.leading(a, 10, 20, 4, 9L, new ScalarCompute());
        double[] gram = new double[n * n];
        for (int i = 0; i < m; i++) {
            for (int x = 0; x < n; x++) {
                for (int y = 0; y < n; y++) {
                    gram[x * n + y] += dense[i * n + x] * (double) dense[i * n + y];
                }
            }
        }
        SymmetricEigen exact = SymmetricEigen.of(gram, n);
        for (int k = 0; k < 10; k++) {
            assertThat(svd.singularValues()[k]).isCloseTo(Math.sqrt(exact.values[k]),
                    org.assertj.core.data.Percentage.withPercentage(1.0));
        }
        FloatMatrix u = svd.leftVectors();
        for (int x = 0; x < 10; x++) {
            for (int y = 0; y < 10; y++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += u.get(i, x) * (double) u.get(i, y);
                }
                assertThat(dot).isCloseTo(x == y ? 1 : 0, org.assertj.core.data.Offset.offset(1e-3));
            }
        }
    }

    @Test
    void wordsThatShareContextsGetSimilarVectors() {
        // a corpus where "cat" and "dog" appear in the same frames and "red"/"blue" in others
        Random r = new Random(4);
        String[] animals = {"cat", "dog"};
        String[] colours = {"red", "blue"};
        List<String> paragraphs = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            String a = animals[r.nextInt(2)];
            String c = colours[r.nextInt(2)];
            paragraphs.add("the " + a + " eats food and the " + a + " sleeps while paint is " + c + " and the wall is " + c);
        }
        WordSequences w = WordSequences.of(paragraphs);
        EmbeddingTable t = PpmiSvdTrainer.train(w.vocabulary(), w.sequences(),
                new PpmiSvdTrainer.Settings(4, 3, 5, 100, 0.75, 0.5, 2, 1L), new ScalarCompute(), Progress.NONE);
        assertThat(cos(t, "cat", "dog")).isGreaterThan(cos(t, "cat", "red") + 0.3);
        assertThat(cos(t, "red", "blue")).isGreaterThan(cos(t, "blue", "dog") + 0.3);
    }

    private static double cos(EmbeddingTable t, String a, String b) {
        float[] x = t.vectors().rowCopy(t.indexOf(a));
        float[] y = t.vectors().rowCopy(t.indexOf(b));
        double xy = 0;
        double xx = 0;
        double yy = 0;
        for (int i = 0; i < x.length; i++) {
            xy += x[i] * y[i];
            xx += x[i] * x[i];
            yy += y[i] * y[i];
        }
        return xy / Math.sqrt(xx * yy);
    }
}
