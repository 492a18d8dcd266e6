package io.tokenlab.plugin.math.common;

import io.tokenlab.api.compute.FloatMatrix;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class OrthonormalTest {
    @Test
    void gramSchmidtReplacesDependentColumnsAndStaysOrthonormal() {
        // 40 x 8 with columns 5..7 copies of columns 0..2: only 5 directions in the data
        Random r = new Random(2);
        FloatMatrix m = FloatMatrix.zeros(40, 8);
        for (int i = 0; i < 40; i++) {
            for (int j = 0; j < 5; j++) {
                m.set(i, j, (float) r.nextGaussian());
            }
            for (int j = 5; j < 8; j++) {
                m.set(i, j, m.get(i, j - 5));
            }
        }
        FloatMatrix q = Orthonormal.gramSchmidt(m, 1e-6);
        assertOrthonormalColumns(q, 1e-5);
        // the leading columns span the data's: the first column is the normalised first column
        double n0 = 0;
        for (int i = 0; i < 40; i++) {
            n0 += m.get(i, 0) * (double) m.get(i, 0);
        }
        for (int i = 0; i < 40; i++) {
            assertThat((double) q.get(i, 0)).isCloseTo(m.get(i, 0) / Math.sqrt(n0), Offset.offset(1e-5));
        }
    }

    @Test
    void gramSchmidtOrthonormalisesATallBadlyScaledPanel() {
        Random r = new Random(4);
        float[] y = new float[2000 * 12];
        for (int i = 0; i < y.length; i++) {
            y[i] = (float) (r.nextGaussian() * (1 + i % 12));
        }
        assertOrthonormalColumns(Orthonormal.gramSchmidt(new FloatMatrix(2000, 12, y), 1e-8), 1e-5);
    }

    private static void assertOrthonormalColumns(FloatMatrix q, double tolerance) {
        for (int x = 0; x < q.cols(); x++) {
            for (int y = 0; y < q.cols(); y++) {
                double dot = 0;
                for (int i = 0; i < q.rows(); i++) {
                    dot += q.get(i, x) * (double) q.get(i, y);
                }
                assertThat(dot).as("column %d . column %d", x, y).isCloseTo(x == y ? 1 : 0, Offset.offset(tolerance));
            }
        }
    }
}
