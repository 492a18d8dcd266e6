package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/**
 * The pass options the encoder-style models use (attention both ways, vectors added to the input,
 * a per-key score bias, a loss on the hidden states): every gradient against finite differences,
 * and the two masks doing what they say.
 */
class EncoderPassTest {
    private static final Compute COMPUTE = new io.tokenlab.runtime.compute.scalar.ScalarCompute();
    private static final TransformerConfig C = new TransformerConfig(11, 8, 2, 2, 6, 12, 1e-5f, 0);
    private static final Batch BATCH = Batch.ofWindows(new int[][]{{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}}, C.context());
    private static final int N = BATCH.size() * BATCH.width();

    /** A loss on the hidden states: their dot product with fixed random weights. */
    private static double loss(ModelWeights w, float[] added, float[] bias, float[] probe, ModelWeights grads,
                               float[][] gradientsOut) {
        TrainingPass pass = new TrainingPass(COMPUTE, w, BATCH).attendBothWays().addToInput(added).biasKeys(1, bias);
        float[] h = pass.forwardHidden();
        double sum = 0;
        for (int i = 0; i < h.length; i++) {
            sum += (double) h[i] * probe[i];
        }
        if (grads != null) {
            pass.backwardHidden(grads, probe);
            gradientsOut[0] = pass.inputGradient();
            gradientsOut[1] = pass.keyBiasGradient();
        }
        return sum;
    }

    @Test
    void gradientsOfWeightsAddedInputsAndKeyBiasesMatchFiniteDifferences() {
        ModelWeights w = FiniteDifferences.sharpened(C, 4);
        Random random = new Random(2);
        float[] added = new float[N * C.dimension()];
        float[] bias = new float[N];
        float[] probe = new float[N * C.dimension()];
        for (int i = 0; i < added.length; i++) {
            added[i] = (float) random.nextGaussian();
            // padding rows carry no loss, as no loss of the models reads them
            int row = i / C.dimension();
            boolean real = row % BATCH.width() < BATCH.lengths()[row / BATCH.width()];
            probe[i] = real ? (float) random.nextGaussian() : 0f;
        }
        for (int i = 0; i < bias.length; i++) {
            bias[i] = (float) random.nextGaussian();
        }
        ModelWeights grads = ModelWeights.zeros(C);
        float[][] g = new float[2][];
        loss(w, added, bias, probe, grads, g);
        for (Map.Entry<String, FloatMatrix> e : w.tensors().entrySet()) {
            float[] p = e.getValue().data();
            for (int k = 0; k < 3; k++) {
                int i = random.nextInt(p.length);
                FiniteDifferences.check(e.getKey() + "[" + i + "]", grads.tensors().get(e.getKey()).data()[i], p, i,
                        () -> loss(w, added, bias, probe, null, null));
            }
        }
        for (int k = 0; k < 6; k++) {
            int i = random.nextInt(BATCH.lengths()[0] * C.dimension());
            FiniteDifferences.check("input[" + i + "]", g[0][i], added, i, () -> loss(w, added, bias, probe, null, null));
        }
        for (int i : new int[]{0, 3, 5, 7, 8}) {
            FiniteDifferences.check("bias[" + i + "]", g[1][i], bias, i, () -> loss(w, added, bias, probe, null, null));
        }
    }

    @Test
    void bothWaysTheFirstPositionSeesLaterOnesAndAHugeKeyBiasRemovesTheKey() {
        ModelWeights w = ModelWeights.initialise(C, 7);
        Batch a = Batch.ofWindows(new int[][]{{1, 2, 3, 4, 5}}, C.context());
        Batch b = Batch.ofWindows(new int[][]{{1, 2, 9, 4, 5}}, C.context());
        float[] causalA = new TrainingPass(COMPUTE, w, a).forwardHidden();
        float[] causalB = new TrainingPass(COMPUTE, w, b).forwardHidden();
        float[] bothA = new TrainingPass(COMPUTE, w, a).attendBothWays().forwardHidden();
        float[] bothB = new TrainingPass(COMPUTE, w, b).attendBothWays().forwardHidden();
        int d = C.dimension();
        assertThat(java.util.Arrays.copyOf(causalA, d)).containsExactly(java.util.Arrays.copyOf(causalB, d));
        assertThat(java.util.Arrays.equals(java.util.Arrays.copyOf(bothA, d), java.util.Arrays.copyOf(bothB, d))).isFalse();
        // position 2 removed as a key from layer 0 on: what it holds no longer reaches position 3
        int n = C.context();
        float[] removed = new float[n];
        removed[2] = -1e4f;
        float[] maskedA = new TrainingPass(COMPUTE, w, a).biasKeys(0, removed).forwardHidden();
        float[] maskedB = new TrainingPass(COMPUTE, w, b).biasKeys(0, removed).forwardHidden();
        for (int j = 0; j < d; j++) {
            assertThat(maskedA[3 * d + j]).isCloseTo(maskedB[3 * d + j], within(1e-6f));
        }
        assertThat(Math.abs(causalA[3 * d] - causalB[3 * d])).isGreaterThan(1e-5f);
    }
}
