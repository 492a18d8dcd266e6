package io.tokenlab.plugin.math.common;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class SymmetricEigenTest {
    @Test
    void jacobiDiagonalisesASymmetricMatrix() {
        Random r = new Random(1);
        int n = 30;
        double[][] a = new double[n][n];
        for (int i = 0; i < n; i++) {
            for (int j = 0; j <= i; j++) {
                a[i][j] = a[j][i] = r.nextGaussian();
            }
        }
        SymmetricEigen e = SymmetricEigen.of(a);
        double[] values = e.values();
        for (int k = 0; k < n; k++) {
            double[] v = e.vector(k);
            for (int i = 0; i < n; i++) {
                double av = 0;
                for (int j = 0; j < n; j++) {
                    av += a[i][j] * v[j];
                }
                assertThat(av).isCloseTo(values[k] * v[i], within(1e-9));
            }
            if (k > 0) {
                assertThat(values[k]).isLessThanOrEqualTo(values[k - 1]);
            }
        }
    }
}
