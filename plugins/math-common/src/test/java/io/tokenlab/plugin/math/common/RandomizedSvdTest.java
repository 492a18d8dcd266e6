package io.tokenlab.plugin.math.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.assertj.core.data.Offset;
import org.assertj.core.data.Percentage;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class RandomizedSvdTest {
    /** A dense matrix seen as an operator, the way a sparse one is. */
    private record Dense(FloatMatrix m) implements RandomizedSvd.Operator {
        @Override
        public int rows() {
            return m.rows();
        }

        @Override
        public int cols() {
            return m.cols();
        }

        @Override
        public FloatMatrix multiply(FloatMatrix x, Compute compute) {
            return compute.multiply(m, x);
        }

        @Override
        public FloatMatrix transposeMultiply(FloatMatrix y, Compute compute) {
            FloatMatrix out = FloatMatrix.zeros(m.cols(), y.cols());
            compute.gemm(true, false, 1f, m, y, 0f, out);
            return out;
        }
    }

    @Test
    void randomizedSvdFindsTheLeadingSingularValues() {
        // a 300 x 120 sparse matrix; the reference is the exact spectrum of its Gram matrix by Jacobi
        Random r = new Random(1);
        int m = 300;
        int n = 120;
        float[] dense = new float[m * n];
        for (int i = 0; i < dense.length; i++) {
            dense[i] = r.nextDouble() < 0.2 ? (float) r.nextGaussian() : 0f;
        }
        RandomizedSvd.Result svd = RandomizedSvd.leading(new Dense(new FloatMatrix(m, n, dense)), 10, 20, 4, 9L,
                new ScalarCompute());
        double[][] gram = new double[n][n];
        for (int i = 0; i < m; i++) {
            for (int x = 0; x < n; x++) {
                for (int y = 0; y < n; y++) {
                    gram[x][y] += dense[i * n + x] * (double) dense[i * n + y];
                }
            }
        }
        double[] exact = SymmetricEigen.of(gram).values();
        for (int k = 0; k < 10; k++) {
            assertThat(svd.singularValues()[k]).isCloseTo(Math.sqrt(exact[k]), Percentage.withPercentage(1.0));
        }
        FloatMatrix u = svd.leftVectors();
        for (int x = 0; x < 10; x++) {
            for (int y = 0; y < 10; y++) {
                double dot = 0;
                for (int i = 0; i < m; i++) {
                    dot += u.get(i, x) * (double) u.get(i, y);
                }
                assertThat(dot).isCloseTo(x == y ? 1 : 0, Offset.offset(1e-3));
            }
        }
    }

    @Test
    void symmetricFindsTheLeadingEigenpairsAndDeflationTheNextOnes() {
        // a 60 x 60 Gram matrix of 200 samples with a decaying spectrum
        Random r = new Random(3);
        int n = 200;
        int d = 60;
        float[] x = new float[n * d];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < d; j++) {
                x[i * d + j] = (float) (r.nextGaussian() * Math.pow(0.9, j));
            }
        }
        Compute compute = new ScalarCompute();
        FloatMatrix samples = new FloatMatrix(n, d, x);
        FloatMatrix gram = FloatMatrix.zeros(d, d);
        compute.gemm(true, false, 1f, samples, samples, 0f, gram);
        double[][] full = new double[d][d];
        for (int i = 0; i < d; i++) {
            for (int j = 0; j < d; j++) {
                full[i][j] = gram.get(i, j);
            }
        }
        double[] exact = SymmetricEigen.of(full).values();
        Random random = new Random(5);
        RandomizedSvd.Eigenpairs first = RandomizedSvd.symmetric(compute, gram, new FloatMatrix(0, d, new float[0]),
                6, 10, 3, random, 1e-10);
        for (int k = 0; k < 6; k++) {
            assertThat(first.values()[k]).isCloseTo(exact[k], Percentage.withPercentage(0.5));
        }
        // deflate the first six and ask for the next four outside their span
        FloatMatrix deflated = gram.copy();
        FloatMatrix scaled = first.vectors().copy();
        for (int k = 0; k < 6; k++) {
            for (int j = 0; j < d; j++) {
                scaled.set(k, j, (float) (scaled.get(k, j) * first.values()[k]));
            }
        }
        compute.gemm(true, false, -1f, scaled, first.vectors(), 1f, deflated);
        RandomizedSvd.Eigenpairs next = RandomizedSvd.symmetric(compute, deflated, first.vectors(), 4, 16, 3, random,
                1e-8);
        for (int k = 0; k < 4; k++) {
            assertThat(next.values()[k]).isCloseTo(exact[6 + k], Percentage.withPercentage(1.0));
            for (int p = 0; p < 6; p++) {
                double dot = 0;
                for (int j = 0; j < d; j++) {
                    dot += next.vectors().get(k, j) * (double) first.vectors().get(p, j);
                }
                assertThat(dot).isCloseTo(0, Offset.offset(1e-4));
            }
        }
    }
}
