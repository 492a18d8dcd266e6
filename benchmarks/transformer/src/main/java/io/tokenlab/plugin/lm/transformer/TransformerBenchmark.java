package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.compute.vector.VectorCompute;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Times what training and generation cost through Compute: a training step (forward, backward,
 * clipping, AdamW) on a batch of full windows, and greedy KV-cached generation in tokens/s. Writes
 * the initial weights, so the PyTorch side times the same model, and prints one "key: value" line
 * per figure (medians). It lives in the model's package for the package-private training pieces.
 *
 * <p>Arguments: checkpoint-out threads vocabulary dimension layers heads context batch steps generate
 */
public final class TransformerBenchmark {
    private TransformerBenchmark() {
    }

    public static void main(String[] args) throws Exception {
        Path out = Path.of(args[0]);
        int threads = Integer.parseInt(args[1]);
        TransformerConfig config = TransformerConfig.of(Integer.parseInt(args[2]), Integer.parseInt(args[3]),
                Integer.parseInt(args[4]), Integer.parseInt(args[5]), Integer.parseInt(args[6]), 0);
        int batchSize = Integer.parseInt(args[7]);
        int steps = Integer.parseInt(args[8]);
        int generate = Integer.parseInt(args[9]);
        Compute compute = new VectorCompute(threads);
        ModelWeights weights = ModelWeights.initialise(config, 0);
        Checkpoint.write(weights, Map.of(), out);

        SplittableRandom random = new SplittableRandom(1);
        int[][] windows = new int[batchSize][config.context() + 1];
        for (int[] w : windows) {
            for (int i = 0; i < w.length; i++) {
                w[i] = random.nextInt(config.vocabulary());
            }
        }
        Batch batch = Batch.ofWindows(windows, config.context());
        ModelWeights trained = weights.copy();
        ModelWeights grads = ModelWeights.zeros(config);
        AdamW optimizer = new AdamW(config, 0.9f, 0.95f, 1e-8f, 0.1f);
        double[] stepSeconds = new double[steps];
        for (int s = -2; s < steps; s++) {
            long t0 = System.nanoTime();
            grads.fill(0f);
            TrainingPass pass = new TrainingPass(compute, trained, batch);
            pass.forward();
            pass.backward(grads);
            AdamW.clip(grads, 1.0);
            optimizer.step(trained, grads, 1e-3f);
            if (s >= 0) {
                stepSeconds[s] = (System.nanoTime() - t0) / 1e9;
            }
        }
        TransformerLanguageModel model = new TransformerLanguageModel(compute, weights, "");
        double[] rates = new double[5];
        for (int r = -1; r < rates.length; r++) {
            int[] sequence = Arrays.copyOf(new int[]{0, 11, 12, 13, 14, 15, 16, 17}, 8 + generate);
            int length = 8;
            long t0 = System.nanoTime();
            for (int g = 0; g < generate; g++) {
                float[] row = model.logProbabilities(Arrays.copyOf(sequence, length));
                int best = 0;
                for (int j = 1; j < row.length; j++) {
                    best = row[j] > row[best] ? j : best;
                }
                sequence[length++] = best;
            }
            if (r >= 0) {
                rates[r] = generate / ((System.nanoTime() - t0) / 1e9);
            }
        }
        System.out.printf(Locale.ROOT, "train_step_s: %.5f%n", median(stepSeconds));
        System.out.printf(Locale.ROOT, "generate_tokens_per_s: %.2f%n", median(rates));
        System.out.println("parameters: " + config.parameterCount());
    }

    private static double median(double[] values) {
        double[] v = values.clone();
        Arrays.sort(v);
        return v[v.length / 2];
    }
}
