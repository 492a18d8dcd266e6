package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Arrays;
import java.util.Random;
import java.util.function.Consumer;

/**
 * MrT5 (Kallini et al. 2025, "MrT5: Dynamic Token Merging for Efficient Byte-level Language
 * Models"): a learned deletion gate after an early layer of a byte-level model. The gate reads each
 * position's hidden state, {@code sigma = logistic(w . rmsnorm(h) + b)}, and gives it the attention
 * bias {@code G = k (sigma - 1)}, in (-k, 0), on its scores as a key in every later layer: at
 * {@code G} near -k the position is all but deleted (soft deletion, which keeps the model
 * differentiable). At evaluation positions with {@code sigma < 0.5} are deleted outright, so later
 * layers attend over a shorter sequence. The regulariser {@code alpha * mean(sigma)} (the soft share
 * of kept bytes; the paper's {@code (1/N) sum G} up to the scale k and a constant) trades the loss
 * against deletion; the early layers learn to move what a deleted byte carries into the bytes kept.
 *
 * <p>MrT5 gates a T5 encoder, whose deleted positions leave the sequence that the decoder reads.
 * This model is decoder-only, so a deleted position still predicts its own next byte from its own
 * stream; what it loses is its key and value in the layers after the gate, which is the share of the
 * sequence later layers (and a KV cache) no longer hold. The sequence-length reduction reported is
 * that share. The start token at position 0 is never deleted, so every query keeps one key.
 */
final class MrT5 {
    /** The bias of a deleted key at evaluation: exp(-1e9) is 0 in float, the key is gone. */
    private static final float DELETED = -1e9f;
    /** The gate's initial bias: logistic(3) = 0.95, every byte kept at the start. */
    private static final float INITIAL_KEEP = 3f;

    /** The trained model and gate. {@code gateLayer} is the first layer whose keys the gate biases. */
    record Model(ModelWeights weights, FloatMatrix gateWeight, FloatMatrix gateBias, int gateLayer, float scale) {
    }

    /** One evaluation: mean held-out loss (nats per byte) and the share of bytes deleted. */
    record Evaluation(double loss, double deleted) {
    }

    private MrT5() {
    }

    /**
     * Trains the model and its gate at regulariser weight {@code alpha} (0: a plain model whose gate
     * has nothing pushing it to delete).
     */
    static Model train(Compute compute, TransformerConfig config, int[][] documents, Trainer.Settings s, int gateLayer,
                       double alpha, float scale, Consumer<String> log) {
        return train(compute, config, documents, s, gateLayer, alpha, scale, null, log);
    }

    /**
     * The control for a learned gate: the same model trained with {@code share} of each window's
     * bytes deleted at random after the gate layer (no gate), so it learns to live with deletion as
     * such; evaluate it with {@link #evaluate(Compute, Model, int[][], Double)} at the same share.
     */
    static Model trainWithRandomDeletion(Compute compute, TransformerConfig config, int[][] documents, Trainer.Settings s,
                                         int gateLayer, double share, Consumer<String> log) {
        return train(compute, config, documents, s, gateLayer, 0, 1f, share, log);
    }

    private static Model train(Compute compute, TransformerConfig config, int[][] documents, Trainer.Settings s,
                               int gateLayer, double alpha, float scale, Double randomShare, Consumer<String> log) {
        Random deletions = new Random(s.seed() + 2);
        TensorSet params = new TensorSet()
                .add("model", ModelWeights.initialise(config, s.seed()))
                .add("gate.weight", TensorSet.gaussian(1, config.dimension(), 0.02, new Random(s.seed() + 1)))
                .add("gate.bias", new FloatMatrix(1, 1, new float[]{INITIAL_KEEP}));
        Model model = new Model(params.part("model"), params.tensor("gate.weight"), params.tensor("gate.bias"), gateLayer,
                scale);
        Trainer.WindowSampler sampler = new Trainer.WindowSampler(documents, config.context() + 1, config.start(), s.seed());
        String label = randomShare == null ? String.format(java.util.Locale.ROOT, "MrT5 alpha %.3f", alpha)
                : String.format(java.util.Locale.ROOT, "MrT5 control, %.3f deleted at random", randomShare);
        PartsTraining.run(params, s, label, (step, grads) -> {
            Batch batch = Batch.ofWindows(sampler.next(s.batch()), config.context());
            TrainingPass pass = new TrainingPass(compute, model.weights(), batch);
            if (randomShare == null) {
                pass.gateKeys(gateLayer, new SoftGate(model, batch, alpha, grads.tensor("gate.weight"),
                        grads.tensor("gate.bias")));
            } else {
                pass.biasKeys(gateLayer, randomDeletions(batch, randomShare, deletions));
            }
            double loss = pass.forward();
            pass.backward(grads.part("model"));
            return loss;
        }, log);
        return model;
    }

    /** Held-out loss with the gate's hard deletions (sigma < 0.5 deleted, the rest unbiased). */
    static Evaluation evaluate(Compute compute, Model model, int[][] windows) {
        return evaluate(compute, model, windows, null);
    }

    /**
     * Held-out loss with the given deletions instead of the gate's: {@code deletedShare} of each
     * window's bytes (not its start) deleted at random, the control that tells a learned choice of
     * what to delete from deletion as such. Null: the gate decides.
     */
    static Evaluation evaluate(Compute compute, Model model, int[][] windows, Double deletedShare) {
        double total = 0;
        long targets = 0;
        long deleted = 0;
        long candidates = 0;
        Random random = new Random(17);
        int width = model.weights().config().context();
        for (int i = 0; i < windows.length; i += 16) {
            Batch batch = Batch.ofWindows(Arrays.copyOfRange(windows, i, Math.min(windows.length, i + 16)), width);
            TrainingPass pass = new TrainingPass(compute, model.weights(), batch);
            if (deletedShare == null) {
                pass.gateKeys(model.gateLayer(), new HardGate(model, batch));
            } else {
                pass.biasKeys(model.gateLayer(), randomDeletions(batch, deletedShare, random));
            }
            int n = batch.targetCount();
            total += pass.forward() * n;
            targets += n;
            float[] bias = pass.keyBias();
            for (int r = 0; r < bias.length; r++) {
                if (gated(batch, r)) {
                    candidates++;
                    deleted += bias[r] == DELETED ? 1 : 0;
                }
            }
        }
        return new Evaluation(total / targets, (double) deleted / candidates);
    }

    /** Whether batch row {@code r} is one the gate may delete: a real position after the start token. */
    private static boolean gated(Batch batch, int r) {
        int p = r % batch.width();
        return p > 0 && p < batch.lengths()[r / batch.width()];
    }

    /** Keys deleted at random: each real position after the start with probability {@code share}. */
    private static float[] randomDeletions(Batch batch, double share, Random random) {
        int width = batch.width();
        float[] bias = new float[batch.size() * width];
        for (int r = 0; r < bias.length; r++) {
            bias[r] = gated(batch, r) && random.nextDouble() < share ? DELETED : 0f;
        }
        return bias;
    }

    /** Each position's keep probability, logistic(w . rmsnorm(h) + b); rows in {@code normed}, {@code inverse}. */
    private static float[] keep(Model model, float[] hidden, int rows, float[] normed, float[] inverse) {
        int d = model.weights().config().dimension();
        float[] ones = new float[d];
        Arrays.fill(ones, 1f);
        Kernels.rmsNorm(hidden, rows, d, ones, model.weights().config().normEpsilon(), normed, inverse);
        float[] w = model.gateWeight().data();
        float b = model.gateBias().data()[0];
        float[] sigma = new float[rows];
        for (int i = 0; i < rows; i++) {
            double a = b;
            for (int j = 0; j < d; j++) {
                a += (double) w[j] * normed[i * d + j];
            }
            sigma[i] = (float) (1 / (1 + Math.exp(-a)));
        }
        return sigma;
    }

    /**
     * The training gate: soft bias {@code k (sigma - 1)} and, in its backward pass, the gradient of
     * both the loss (through the bias) and the regulariser {@code alpha * mean(sigma)} over the real
     * positions after the start.
     */
    static final class SoftGate implements TrainingPass.KeyGate {
        private final Model model;
        private final Batch batch;
        private final double alpha;
        private final FloatMatrix dWeight;
        private final FloatMatrix dBias;
        private float[] hidden;
        private float[] normed;
        private float[] inverse;
        private float[] sigma;
        private boolean[] gated;
        private int count;
        /** The mean keep probability of the last pass (the soft share of kept bytes). */
        double softKept;

        SoftGate(Model model, Batch batch, double alpha, FloatMatrix dWeight, FloatMatrix dBias) {
            this.model = model;
            this.batch = batch;
            this.alpha = alpha;
            this.dWeight = dWeight;
            this.dBias = dBias;
        }

        @Override
        public float[] bias(float[] h) {
            int rows = batch.size() * batch.width();
            int d = model.weights().config().dimension();
            hidden = h;
            normed = new float[rows * d];
            inverse = new float[rows];
            sigma = keep(model, h, rows, normed, inverse);
            gated = new boolean[rows];
            float[] bias = new float[rows];
            count = 0;
            double sum = 0;
            for (int r = 0; r < rows; r++) {
                gated[r] = gated(batch, r);
                if (gated[r]) {
                    bias[r] = model.scale() * (sigma[r] - 1);
                    count++;
                    sum += sigma[r];
                }
            }
            softKept = count == 0 ? 1 : sum / count;
            return bias;
        }

        /** The regulariser's value on the last pass: alpha times the mean keep probability. */
        double regulariser() {
            return alpha * softKept;
        }

        @Override
        public float[] backward(float[] biasGradient) {
            int rows = sigma.length;
            int d = model.weights().config().dimension();
            float[] w = model.gateWeight().data();
            float[] dw = dWeight.data();
            float[] dNormed = new float[rows * d];
            double db = 0;
            for (int r = 0; r < rows; r++) {
                if (!gated[r]) {
                    continue;
                }
                double dSigma = model.scale() * biasGradient[r] + alpha / count;
                double da = dSigma * sigma[r] * (1 - sigma[r]);
                db += da;
                for (int j = 0; j < d; j++) {
                    dw[j] += (float) (da * normed[r * d + j]);
                    dNormed[r * d + j] = (float) (da * w[j]);
                }
            }
            dBias.data()[0] += (float) db;
            float[] ones = new float[d];
            Arrays.fill(ones, 1f);
            float[] dHidden = new float[rows * d];
            Kernels.rmsNormBackward(dNormed, hidden, inverse, rows, d, ones, dHidden, new float[d]);
            return dHidden;
        }
    }

    /** The evaluation gate: keys with sigma below 0.5 deleted, the others unbiased. */
    private static final class HardGate implements TrainingPass.KeyGate {
        private final Model model;
        private final Batch batch;

        HardGate(Model model, Batch batch) {
            this.model = model;
            this.batch = batch;
        }

        @Override
        public float[] bias(float[] h) {
            int rows = batch.size() * batch.width();
            int d = model.weights().config().dimension();
            float[] sigma = keep(model, h, rows, new float[rows * d], new float[rows]);
            float[] bias = new float[rows];
            for (int r = 0; r < rows; r++) {
                bias[r] = gated(batch, r) && sigma[r] < 0.5f ? DELETED : 0f;
            }
            return bias;
        }

        @Override
        public float[] backward(float[] biasGradient) {
            throw new UnsupportedOperationException("hard deletion is for evaluation only");
        }
    }
}
