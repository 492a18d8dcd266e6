package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.FloatMatrix;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The property the prefix tokenizers rest on: the randomized-SVD basis, truncated to any length,
 * reconstructs within 1% of the exact PCA optimum of that length.
 */
class BasisTrainerTest {
    @Test
    void randomizedSvdMatchesExactPcaAtEveryPrefixLength() {
        int side = 8;
        FloatMatrix train = TrainingPhotos.sampleBlocks(TestPhotos.training(), 256, side, 6000, 21);
        int k = 96;
        OrderedBasis exact = BasisTrainer.exactPca(TestPhotos.COMPUTE, train, k);
        OrderedBasis randomized = BasisTrainer.randomizedSvd(TestPhotos.COMPUTE, train, k, 24, 6, 5);
        FloatMatrix heldOut = TrainingPhotos.sampleBlocks(TestPhotos.heldOut(), 256, side, 3000, 22);
        double[] exactTrain = errorByPrefix(exact, train, k);
        double[] randomTrain = errorByPrefix(randomized, train, k);
        double[] exactHeld = errorByPrefix(exact, heldOut, k);
        double[] randomHeld = errorByPrefix(randomized, heldOut, k);
        for (int j = 1; j <= k; j++) {
            assertThat(randomTrain[j]).as("training error at %d components", j).isLessThanOrEqualTo(exactTrain[j] * 1.01);
            assertThat(randomHeld[j]).as("held-out error at %d components", j).isLessThanOrEqualTo(exactHeld[j] * 1.01);
            assertThat(randomTrain[j]).isLessThanOrEqualTo(randomTrain[j - 1] + 1e-9);
        }
        // orthonormal rows
        FloatMatrix c = randomized.components();
        FloatMatrix gram = TestPhotos.COMPUTE.multiplyTransposed(c, c);
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                assertThat((double) gram.get(i, j)).isCloseTo(i == j ? 1 : 0, org.assertj.core.api.Assertions.within(1e-3));
            }
        }
    }

    /** Mean squared reconstruction error with the first j components, j = 0..k. */
    static double[] errorByPrefix(OrderedBasis basis, FloatMatrix rows, int k) {
        FloatMatrix centred = basis.centre(rows);
        FloatMatrix coefficients = TestPhotos.COMPUTE.multiplyTransposed(centred, basis.components());
        double total = 0;
        for (float v : centred.data()) {
            total += (double) v * v;
        }
        double[] out = new double[k + 1];
        out[0] = total;
        double[] captured = new double[k];
        for (int i = 0; i < rows.rows(); i++) {
            for (int j = 0; j < k; j++) {
                double c = coefficients.get(i, j);
                captured[j] += c * c;
            }
        }
        for (int j = 1; j <= k; j++) {
            out[j] = out[j - 1] - captured[j - 1];
        }
        for (int j = 0; j <= k; j++) {
            out[j] /= rows.rows();
        }
        return out;
    }
}
