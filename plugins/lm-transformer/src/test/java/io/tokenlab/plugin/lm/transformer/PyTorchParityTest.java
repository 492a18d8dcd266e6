package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.compute.opencl.OpenClCompute;
import io.tokenlab.runtime.compute.opencl.OpenClSettings;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.io.Safetensors;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The model, on each Compute backend, against its PyTorch transcription (src/test/python/transformer_reference.py) on the
 * same weights and the same mixed-length batch: log-probabilities of every real position, the loss,
 * the gradient of every parameter and every parameter after one clipped AdamW step agree. Tolerances:
 * log-probabilities and loss within 1e-4 relative (to max(1, |value|)); each gradient tensor within
 * 1e-4 of its largest magnitude; each stepped parameter within 1e-2 of the learning rate (the first
 * Adam step moves a weight by about lr times the sign of its gradient, so that is the scale of the
 * step).
 */
class PyTorchParityTest {
    private static final float LR = 1e-3f;

    @TempDir
    Path dir;

    @ParameterizedTest
    @CsvSource({"vector, softmax", "scalar, softmax", "opencl, softmax", "vector, softplus", "scalar, softplus"})
    void logitsGradientsAndOneAdamWStepMatchPyTorch(String backend, String attention) throws IOException {
        TorchReference.require();
        // OpenCL runs on POCL here (.ci/system-packages installs it) and on any GPU driver elsewhere
        Compute compute = switch (backend) {
            case "vector" -> new VectorCompute(2);
            case "opencl" -> new OpenClCompute(OpenClSettings.defaults());
            default -> new ScalarCompute();
        };
        TransformerConfig config = new TransformerConfig(61, 16, 2, 4, 12, 40, 1e-5f, 0);
        if (attention.equals("softplus")) {
            // softplus attention as the length-extrapolation experiment trains it: power 3, no learned positions
            config = config.with(TransformerConfig.Attention.SOFTPLUS, 3f, false);
        }
        ModelWeights weights = ModelWeights.initialise(config, 7);
        Random random = new Random(3);
        // norm weights away from 1 and larger embeddings, so every path of the gradient carries weight
        weights.tensors().forEach((name, m) -> {
            float[] d = m.data();
            for (int i = 0; i < d.length; i++) {
                if (ModelWeights.isNorm(name)) {
                    d[i] = 0.5f + random.nextFloat();
                } else if (name.contains("emb")) {
                    d[i] *= 20;
                }
            }
        });
        int[] lengths = {12, 7, 3};
        int[][] windows = new int[lengths.length][];
        for (int b = 0; b < lengths.length; b++) {
            windows[b] = random.ints(lengths[b] + 1, 0, config.vocabulary()).toArray();
        }
        Batch batch = Batch.ofWindows(windows, config.context());
        Path checkpoint = dir.resolve("model.safetensors");
        Checkpoint.write(weights, Map.of(), checkpoint);
        Path batchFile = dir.resolve("batch.safetensors");
        writeBatch(batch, batchFile);
        Path out = dir.resolve("torch.safetensors");
        TorchReference.script("transformer_reference.py", List.of(checkpoint.toString(), batchFile.toString(),
                out.toString()), 300);
        Safetensors torch = Safetensors.read(Files.readAllBytes(out), out.toString());

        TransformerLanguageModel model = new TransformerLanguageModel(compute, weights.copy(), "");
        FloatMatrix torchLogits = torch.tensor("logits", "torch");
        int v = config.vocabulary();
        double worstLogProb = 0;
        for (int b = 0; b < lengths.length; b++) {
            FloatMatrix ours = model.logProbabilitiesAll(java.util.Arrays.copyOf(windows[b], lengths[b]));
            for (int i = 0; i < lengths[b]; i++) {
                double[] reference = logSoftmax(torchLogits.data(), (b * config.context() + i) * v, v);
                for (int j = 0; j < v; j++) {
                    double error = Math.abs(ours.get(i, j) - reference[j]) / Math.max(1, Math.abs(reference[j]));
                    worstLogProb = Math.max(worstLogProb, error);
                }
            }
        }
        ModelWeights grads = ModelWeights.zeros(config);
        ModelWeights stepped = weights.copy();
        TrainingPass pass = new TrainingPass(compute, stepped, batch);
        double loss = pass.forward();
        pass.backward(grads);
        double torchLoss = torch.tensor("loss", "torch").get(0, 0);
        Map<String, Double> gradientErrors = new LinkedHashMap<>();
        for (Map.Entry<String, FloatMatrix> e : grads.tensors().entrySet()) {
            gradientErrors.put(e.getKey(), relativeToLargest(e.getValue(), torch.tensor("grad." + e.getKey(), "torch")));
        }
        AdamW.clip(grads, 1.0);
        new AdamW(config, 0.9f, 0.95f, 1e-8f, 0.1f).step(stepped, grads, LR);
        double worstStep = 0;
        String worstStepName = "";
        for (Map.Entry<String, FloatMatrix> e : stepped.tensors().entrySet()) {
            float[] ours = e.getValue().data();
            float[] reference = torch.tensor("step." + e.getKey(), "torch").data();
            for (int i = 0; i < ours.length; i++) {
                double error = Math.abs(ours[i] - reference[i]) / LR;
                if (error > worstStep) {
                    worstStep = error;
                    worstStepName = e.getKey() + "[" + i + "]";
                }
            }
        }
        System.out.printf("parity (%s, %s): log-prob %.2e, loss %.6f vs %.6f, worst gradient %.2e, worst step %.2e of lr at %s%n",
                backend, attention, worstLogProb, loss, torchLoss, gradientErrors.values().stream().mapToDouble(x -> x).max()
                        .orElseThrow(), worstStep, worstStepName);
        assertThat(worstLogProb).isLessThan(1e-4);
        assertThat(Math.abs(loss - torchLoss) / Math.max(1, Math.abs(torchLoss))).isLessThan(1e-4);
        assertThat(gradientErrors).allSatisfy((name, error) -> assertThat(error).as(name).isLessThan(1e-4));
        assertThat(worstStep).as(worstStepName).isLessThan(1e-2);
    }

    private static void writeBatch(Batch batch, Path file) throws IOException {
        Map<String, FloatMatrix> t = new LinkedHashMap<>();
        t.put("tokens", floats(batch.tokens(), batch.size()));
        t.put("targets", floats(batch.targets(), batch.size()));
        t.put("lengths", floats(batch.lengths(), 1));
        Files.write(file, Safetensors.write(t, Map.of("lr", Float.toString(LR), "clip", "1.0", "weight_decay", "0.1")));
    }

    private static FloatMatrix floats(int[] values, int rows) {
        float[] f = new float[values.length];
        for (int i = 0; i < f.length; i++) {
            f[i] = values[i];
        }
        return new FloatMatrix(rows, values.length / rows, f);
    }

    private static double[] logSoftmax(float[] logits, int offset, int n) {
        double max = Double.NEGATIVE_INFINITY;
        for (int j = 0; j < n; j++) {
            max = Math.max(max, logits[offset + j]);
        }
        double sum = 0;
        for (int j = 0; j < n; j++) {
            sum += Math.exp(logits[offset + j] - max);
        }
        double log = max + Math.log(sum);
        double[] out = new double[n];
        for (int j = 0; j < n; j++) {
            out[j] = logits[offset + j] - log;
        }
        return out;
    }

    private static double relativeToLargest(FloatMatrix ours, FloatMatrix reference) {
        assertThat(ours.data().length).isEqualTo(reference.data().length);
        double largest = 1e-12;
        double worst = 0;
        for (int i = 0; i < ours.data().length; i++) {
            largest = Math.max(largest, Math.abs(reference.data()[i]));
            worst = Math.max(worst, Math.abs(ours.data()[i] - reference.data()[i]));
        }
        return worst / largest;
    }
}
