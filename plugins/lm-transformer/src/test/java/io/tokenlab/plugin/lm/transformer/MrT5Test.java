package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;
import java.util.function.DoubleSupplier;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * MrT5's deletion gate on a byte model trained on linux-doc. Checked: the gate's gradient (through
 * the soft attention bias into the layers before it, and the regulariser's) against finite
 * differences; on held-out text, a regulariser weight that deletes most bytes costs little loss
 * (under 0.1 nats per byte against a weight that deletes almost none), and less than deleting as many
 * bytes at random from the same model (the model lives on the bytes its gate keeps: a gate that read
 * nothing from the hidden states fails this); and a larger weight deletes more (with the gate's bias
 * ignored by attention, deletion would cost nothing and both weights would delete everything). A
 * model trained with as many bytes deleted at random is the fairer control; at this scale it is not
 * beaten (see benchmarks/transformer/mrt5.md), so it is run only for the report ({@code -Dmrt5.control=true}).
 */
class MrT5Test {
    private static final int STEPS = Integer.getInteger("mrt5.steps", 500);
    private static final String ALPHAS = System.getProperty("mrt5.alphas", "0.02,0.1");
    private static final int CONTEXT = 64;
    private static final int GATE_LAYER = Integer.getInteger("mrt5.gate.layer", 0);
    private static final float SCALE = 30f;
    /** Also train the control with random deletions (for the report; its figure is not asserted). */
    private static final boolean CONTROL = Boolean.getBoolean("mrt5.control");

    @Test
    void gateGradientsMatchFiniteDifferences() {
        Compute compute = new io.tokenlab.runtime.compute.scalar.ScalarCompute();
        TransformerConfig c = new TransformerConfig(11, 8, 2, 2, 6, 12, 1e-5f, 0);
        ModelWeights w = FiniteDifferences.sharpened(c, 4);
        Random random = new Random(3);
        // a gate around its switching point, so its gradient is not vanishingly small
        FloatMatrix gw = TensorSet.gaussian(1, 8, 1.0, random);
        FloatMatrix gb = new FloatMatrix(1, 1, new float[]{0.2f});
        MrT5.Model model = new MrT5.Model(w, gw, gb, 1, 3f);
        Batch batch = Batch.ofWindows(new int[][]{{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10, 2}}, c.context());
        ModelWeights grads = ModelWeights.zeros(c);
        FloatMatrix dgw = FloatMatrix.zeros(1, 8);
        FloatMatrix dgb = FloatMatrix.zeros(1, 1);
        MrT5.SoftGate gate = new MrT5.SoftGate(model, batch, 0.5, dgw, dgb);
        TrainingPass pass = new TrainingPass(compute, w, batch).gateKeys(1, gate);
        pass.forward();
        pass.backward(grads);
        DoubleSupplier objective = () -> {
            MrT5.SoftGate g = new MrT5.SoftGate(model, batch, 0.5, FloatMatrix.zeros(1, 8), FloatMatrix.zeros(1, 1));
            double loss = new TrainingPass(compute, w, batch).gateKeys(1, g).forward();
            return loss + g.regulariser();
        };
        for (int j = 0; j < 8; j++) {
            FiniteDifferences.check("gate.weight[" + j + "]", dgw.data()[j], gw.data(), j, objective);
        }
        FiniteDifferences.check("gate.bias", dgb.data()[0], gb.data(), 0, objective);
        // the gate's gradient reaches the layer before it
        float[] qkv0 = w.tensors().get("blocks.0.attn.qkv.weight").data();
        float[] dqkv0 = grads.tensors().get("blocks.0.attn.qkv.weight").data();
        for (int k = 0; k < 5; k++) {
            int i = random.nextInt(qkv0.length);
            FiniteDifferences.check("blocks.0.attn.qkv.weight[" + i + "]", dqkv0[i], qkv0, i, objective);
        }
    }

    @Test
    void theGateDeletesBytesLaterLayersCanDoWithout() throws Exception {
        TrainedBytes.BytesCorpus linuxDoc = TrainedBytes.linuxDoc(60_000);
        TrainingCorpus corpus = linuxDoc.corpus();
        TransformerConfig config = TransformerConfig.of(TrainedBytes.VOCABULARY, 32, 3, 2, CONTEXT, linuxDoc.start());
        Trainer.Settings settings = new Trainer.Settings(STEPS, 8, 3e-3, 3e-4, 40, 0.1, 1.0, 1);
        int[][] heldOut = Arrays.stream(Trainer.evaluationWindows(corpus.heldOut(), CONTEXT + 1, linuxDoc.start()))
                .limit(160).toArray(int[][]::new);
        double[] alphas = Arrays.stream(ALPHAS.split(",")).mapToDouble(Double::parseDouble).toArray();
        MrT5.Evaluation[] learned = new MrT5.Evaluation[alphas.length];
        MrT5.Evaluation[] random = new MrT5.Evaluation[alphas.length];
        MrT5.Evaluation[] control = new MrT5.Evaluation[alphas.length];
        for (int a = 0; a < alphas.length; a++) {
            MrT5.Model model = MrT5.train(RealRuns.COMPUTE, config, corpus.training(), settings, GATE_LAYER, alphas[a],
                    SCALE, System.out::println);
            learned[a] = MrT5.evaluate(RealRuns.COMPUTE, model, heldOut);
            double share = learned[a].deleted();
            // the same model with as many bytes deleted at random instead of the ones its gate picks
            random[a] = MrT5.evaluate(RealRuns.COMPUTE, model, heldOut, share);
            // a model trained (and evaluated) with as many bytes deleted at random: deletion as such
            MrT5.Model trainedRandom = share == 0 || !CONTROL ? model : MrT5.trainWithRandomDeletion(RealRuns.COMPUTE,
                    config, corpus.training(), settings, GATE_LAYER, share, line -> { });
            control[a] = MrT5.evaluate(RealRuns.COMPUTE, trainedRandom, heldOut, share);
            System.out.printf(java.util.Locale.ROOT, "mrt5-row\t%.3f\t%d\t%d\t%.4f\t%.4f\t%.4f\t%.4f%n", alphas[a],
                    GATE_LAYER, STEPS, learned[a].deleted(), learned[a].loss(), random[a].loss(), control[a].loss());
        }
        System.out.println("mrt5 (alpha, gate layer, steps, deleted share, held-out loss: with the gate's deletions, "
                + "the same model with as many deleted at random, a model trained with as many deleted at random)");
        int last = alphas.length - 1;
        assertThat(learned[last].deleted()).as("share deleted at the largest weight").isGreaterThan(0.5);
        assertThat(learned[last].deleted()).as("more deletion with a larger weight")
                .isGreaterThan(learned[0].deleted() + 0.3);
        assertThat(learned[last].loss()).as("the gate's deletions vs as many at random from the same model")
                .isLessThan(random[last].loss() - 0.02);
        assertThat(learned[last].loss()).as("the loss paid for the deletions")
                .isLessThan(learned[0].loss() + 0.1);
    }
}
