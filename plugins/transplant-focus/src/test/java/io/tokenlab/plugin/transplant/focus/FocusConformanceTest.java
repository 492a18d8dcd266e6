package io.tokenlab.plugin.transplant.focus;

import io.tokenlab.plugin.transplant.common.testing.LetterVocabularies;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.TransplantConformance;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

class FocusConformanceTest extends TransplantConformance {
    private static final LetterVocabularies DATA = new LetterVocabularies(51L);

    @Override
    protected TransplantTechnique technique() {
        return new FocusTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.empty();
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    @Override
    protected TransplantRequest request() {
        return DATA.request();
    }

    @Test
    void sparsemaxMatchesTheWorkedExample() {
        // z = (1, 0.5, -1): support {0, 1}, tau = (1.5 - 1) / 2 = 0.25
        assertThat(Sparsemax.of(new float[] {0.5f, 1f, -1f})).containsExactly(new double[] {0.25, 0.75, 0},
                org.assertj.core.data.Offset.offset(1e-7));
    }

    @Test
    void sparsemaxIsAProjectionOntoTheSimplex() {
        Random r = new Random(8);
        for (int trial = 0; trial < 200; trial++) {
            float[] z = new float[1 + r.nextInt(30)];
            for (int i = 0; i < z.length; i++) {
                z[i] = (float) r.nextGaussian() * (1 + trial % 5);
            }
            double[] p = Sparsemax.of(z);
            double sum = 0;
            double tau = Double.NaN;
            for (int i = 0; i < p.length; i++) {
                assertThat(p[i]).isGreaterThanOrEqualTo(0);
                sum += p[i];
                if (p[i] > 0) {
                    tau = z[i] - p[i];
                }
            }
            assertThat(sum).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-6));
            // KKT conditions: p_i = z_i - tau on the support, z_i <= tau off it
            for (int i = 0; i < p.length; i++) {
                if (p[i] > 0) {
                    assertThat(z[i] - p[i]).isCloseTo(tau, org.assertj.core.data.Offset.offset(1e-5));
                } else {
                    assertThat((double) z[i]).isLessThanOrEqualTo(tau + 1e-5);
                }
            }
        }
    }
}
