package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Progress;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Softplus attention with re-weighting against softmax attention, as the paper measures it: two
 * byte-level models alike but for the attention, both without learned positions (order comes from
 * the causal mask alone, so either can run on any length), trained on real text at one context
 * length and scored on held-out text at 1x, 2x, 4x and 8x that length. The paper's claim is that
 * softmax's held-out loss climbs beyond the training length while softplus attention's stays flat.
 */
class SoftplusAttentionTest {
    private static final int TRAIN_LENGTH = Integer.getInteger("softplus.train.length", 32);
    private static final int STEPS = Integer.getInteger("softplus.steps", 1500);
    private static final int[] FACTORS = {1, 2, 4, 8};

    private static TrainingCorpus corpus;
    private static int start;

    @BeforeAll
    static void corpus() throws Exception {
        TrainedBytes.BytesCorpus linuxDoc = TrainedBytes.linuxDoc(200_000);
        corpus = linuxDoc.corpus();
        start = linuxDoc.start();
    }

    @Test
    void softplusAttentionHoldsItsLossBeyondTheTrainingLengthBetterThanSoftmax() {
        Map<Integer, Double> softmax = heldOutLossByLength(TransformerConfig.Attention.SOFTMAX, 1f);
        Map<Integer, Double> softplus = heldOutLossByLength(TransformerConfig.Attention.SOFTPLUS, 3f);
        // the first stage alone (no re-weighting), printed to show what the power adds
        Map<Integer, Double> unweighted = heldOutLossByLength(TransformerConfig.Attention.SOFTPLUS, 1f);
        StringBuilder table = new StringBuilder();
        for (int factor : FACTORS) {
            int length = factor * TRAIN_LENGTH;
            table.append(String.format(java.util.Locale.ROOT, "%n  %dx (%d bytes): softmax %.4f, softplus %.4f, "
                    + "softplus without re-weighting %.4f", factor, length, softmax.get(length), softplus.get(length),
                    unweighted.get(length)));
            System.out.printf("softplus-row\t%d\t%d\t%.4f\t%.4f\t%.4f%n", factor, length, softmax.get(length),
                    softplus.get(length), unweighted.get(length));
        }
        System.out.println("held-out loss (nats/byte) by window length, trained at " + TRAIN_LENGTH + " bytes:" + table);
        int longest = FACTORS[FACTORS.length - 1] * TRAIN_LENGTH;
        double softmaxRise = softmax.get(longest) - softmax.get(TRAIN_LENGTH);
        double softplusRise = softplus.get(longest) - softplus.get(TRAIN_LENGTH);
        assertThat(softplusRise).as("softplus's rise from 1x to 8x vs softmax's").isLessThan(softmaxRise);
    }

    /** Trains one model at the training length and scores held-out windows of each length. */
    private static Map<Integer, Double> heldOutLossByLength(TransformerConfig.Attention attention, float power) {
        TransformerConfig config = TransformerConfig.of(TrainedBytes.VOCABULARY, 32, 2, 2, TRAIN_LENGTH, start)
                .with(attention, power, false);
        Trainer trainer = new Trainer(RealRuns.COMPUTE);
        Trainer.Result result = trainer.train(config, corpus.training(),
                new Trainer.Settings(STEPS, 16, 3e-3, 3e-4, 40, 0.1, 1.0, 1), Progress.NONE, line -> { });
        Map<Integer, Double> out = new LinkedHashMap<>();
        for (int factor : FACTORS) {
            int length = factor * TRAIN_LENGTH;
            ModelWeights longer = ModelWeights.of(config.withContext(length), result.weights().tensors(), "trained");
            int[][] windows = Arrays.stream(Trainer.evaluationWindows(corpus.heldOut(), length + 1, start))
                    .filter(w -> w.length == length + 1).limit(FACTORS[FACTORS.length - 1] * 8L / factor)
                    .toArray(int[][]::new);
            out.put(length, trainer.meanLoss(longer, windows, 4));
        }
        return out;
    }
}
