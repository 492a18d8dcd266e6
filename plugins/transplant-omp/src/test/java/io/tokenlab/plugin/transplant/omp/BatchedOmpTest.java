package io.tokenlab.plugin.transplant.omp;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class BatchedOmpTest {
    @Test
    void matchesTextbookOmpStepByStep() {
        Random r = new Random(3);
        FloatMatrix dictionary = gaussian(300, 50, r);
        FloatMatrix targets = gaussian(40, 50, r);
        int k = 20;
        SparseCodes codes;
        try (VectorCompute compute = new VectorCompute(2)) {
            codes = BatchedOmp.solve(dictionary, targets, k, compute);
        }
        for (int b = 0; b < targets.rows(); b++) {
            TextbookOmp.Result want = TextbookOmp.solve(dictionary, targets.rowCopy(b), k);
            assertThat(codes.sizes()[b]).isEqualTo(k);
            for (int s = 0; s < k; s++) {
                assertThat(codes.atom(b, s)).as("target %d step %d", b, s).isEqualTo(want.support()[s]);
                assertThat(codes.coefficient(b, s)).isCloseTo(want.coefficients()[s],
                        org.assertj.core.data.Offset.offset(1e-9));
            }
        }
    }

    @Test
    void residualNeverGrowsWithK() {
        Random r = new Random(5);
        FloatMatrix dictionary = gaussian(200, 30, r);
        FloatMatrix targets = gaussian(10, 30, r);
        double[] previous = new double[targets.rows()];
        java.util.Arrays.fill(previous, Double.MAX_VALUE);
        for (int k = 1; k <= 30; k++) {
            SparseCodes codes = BatchedOmp.solve(dictionary, targets, k, new ScalarCompute());
            for (int b = 0; b < targets.rows(); b++) {
                double err = residual(dictionary, targets.rowCopy(b), codes, b);
                assertThat(err).isLessThanOrEqualTo(previous[b] + 1e-9);
                previous[b] = err;
            }
        }
        // with as many atoms as dimensions the fit is exact
        for (double e : previous) {
            assertThat(e).isLessThan(1e-4);
        }
    }

    static double residual(FloatMatrix dictionary, float[] target, SparseCodes codes, int b) {
        double[] res = new double[target.length];
        for (int i = 0; i < target.length; i++) {
            res[i] = target[i];
        }
        for (int s = 0; s < codes.sizes()[b]; s++) {
            for (int i = 0; i < target.length; i++) {
                res[i] -= codes.coefficient(b, s) * dictionary.get(codes.atom(b, s), i);
            }
        }
        double n = 0;
        for (double v : res) {
            n += v * v;
        }
        return Math.sqrt(n);
    }

    static FloatMatrix gaussian(int rows, int cols, Random r) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(rows, cols, d);
    }
}
