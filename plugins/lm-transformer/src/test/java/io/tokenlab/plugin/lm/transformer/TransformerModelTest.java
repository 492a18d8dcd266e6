package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.lm.TokenTree;
import io.tokenlab.api.lm.TransformerTrace;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

/** Properties of the model that hold whatever the reference: caching, masking, reproducibility, learning. */
class TransformerModelTest {
    private static final Compute COMPUTE = new VectorCompute(2);
    private static final TransformerConfig CONFIG = new TransformerConfig(37, 24, 2, 3, 16, 48, 1e-5f, 0);

    private static int[] tokens(long seed, int n) {
        return new Random(seed).ints(n, 0, CONFIG.vocabulary()).toArray();
    }

    @Test
    void kvCachedStepsGiveTheFullPassesLogProbabilities() {
        TransformerLanguageModel model = new TransformerLanguageModel(COMPUTE, ModelWeights.initialise(CONFIG, 1), "");
        int[] seq = tokens(5, CONFIG.context());
        FloatMatrix full = model.logProbabilitiesAll(seq);
        for (int i = 1; i <= seq.length; i++) {
            float[] step = model.logProbabilities(Arrays.copyOf(seq, i));
            for (int j = 0; j < step.length; j++) {
                assertThat(step[j]).isCloseTo(full.get(i - 1, j), within(2e-5f));
            }
        }
        // a branch: the cache keeps the common prefix and recomputes the rest
        int[] branch = seq.clone();
        branch[5] = (branch[5] + 1) % CONFIG.vocabulary();
        float[] cached = model.logProbabilities(Arrays.copyOf(branch, 9));
        float[] fresh = new TransformerLanguageModel(COMPUTE, model.weights(), "").logProbabilities(Arrays.copyOf(branch, 9));
        assertThat(cached).usingElementComparator((a, b) -> Math.abs(a - b) < 2e-5f ? 0 : 1).containsExactly(fresh);
        // a tree scored through the cache gives what each path alone gives
        TokenTree tree = new TokenTree(new int[]{3, 4, 5, 6}, new int[]{-1, 0, -1, 2});
        float[][] rows = model.scoreTree(Arrays.copyOf(seq, 4), tree);
        int[] path = {seq[0], seq[1], seq[2], seq[3], 5, 6};
        assertThat(rows[4][7]).isCloseTo(model.logProbabilitiesAll(path).get(5, 7), within(2e-5f));
    }

    @Test
    void aPaddedSequenceInAMixedBatchHasTheLossItHasAlone() {
        ModelWeights w = ModelWeights.initialise(CONFIG, 2);
        int[] shortWindow = Arrays.copyOf(tokens(8, 6), 6);
        int[] longWindow = tokens(9, CONFIG.context() + 1);
        double alone = new TrainingPass(COMPUTE, w, Batch.ofWindows(new int[][]{shortWindow}, CONFIG.context())).forward();
        double longAlone = new TrainingPass(COMPUTE, w, Batch.ofWindows(new int[][]{longWindow}, CONFIG.context())).forward();
        double mixed = new TrainingPass(COMPUTE, w, Batch.ofWindows(new int[][]{shortWindow, longWindow},
                CONFIG.context())).forward();
        // the mean over all 5 + 16 targets
        assertThat(mixed).isCloseTo((alone * 5 + longAlone * 16) / 21, within(1e-5));
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        TransformerConfig c = new TransformerConfig(11, 8, 2, 2, 6, 12, 1e-5f, 0);
        Compute compute = new io.tokenlab.runtime.compute.scalar.ScalarCompute();
        ModelWeights w = ModelWeights.initialise(c, 4);
        w.tensors().forEach((name, m) -> {
            for (int i = 0; i < m.data().length; i++) {
                m.data()[i] *= name.contains("norm") ? 1 : 25;
            }
        });
        Batch batch = Batch.ofWindows(new int[][]{{1, 2, 3, 4, 5, 6, 7}, {8, 9, 10}}, c.context());
        ModelWeights grads = ModelWeights.zeros(c);
        TrainingPass pass = new TrainingPass(compute, w, batch);
        pass.forward();
        pass.backward(grads);
        Random random = new Random(1);
        for (Map.Entry<String, FloatMatrix> e : w.tensors().entrySet()) {
            float[] p = e.getValue().data();
            for (int probe = 0; probe < 3; probe++) {
                int i = random.nextInt(p.length);
                float saved = p[i];
                float h = 1e-2f;
                p[i] = saved + h;
                double up = new TrainingPass(compute, w, batch).forward();
                p[i] = saved - h;
                double down = new TrainingPass(compute, w, batch).forward();
                p[i] = saved;
                double numeric = (up - down) / (2 * h);
                assertThat(grads.tensors().get(e.getKey()).data()[i]).as(e.getKey() + "[" + i + "]")
                        .isCloseTo((float) numeric, within((float) (2e-3 + 2e-2 * Math.abs(numeric))));
            }
        }
    }

    @Test
    void theSameSeedTrainsTheSameModelAndTrainingLowersTheLoss() {
        int[][] docs = new int[20][];
        for (int d = 0; d < docs.length; d++) {
            // a learnable sequence: each id follows from the one before
            int[] doc = new int[40];
            doc[0] = d % CONFIG.vocabulary();
            for (int i = 1; i < doc.length; i++) {
                doc[i] = (doc[i - 1] * 7 + 3) % CONFIG.vocabulary();
            }
            docs[d] = doc;
        }
        Trainer.Settings s = new Trainer.Settings(150, 4, 1e-2, 1e-3, 10, 0.1, 1.0, 42);
        Trainer.Result a = new Trainer(COMPUTE).train(CONFIG, docs, s, Progress.NONE, line -> { });
        Trainer.Result b = new Trainer(COMPUTE).train(CONFIG, docs, s, Progress.NONE, line -> { });
        for (String name : a.weights().tensors().keySet()) {
            assertThat(a.weights().tensors().get(name).data()).as(name)
                    .containsExactly(b.weights().tensors().get(name).data());
        }
        double heldOut = new Trainer(COMPUTE).meanLoss(a.weights(), Trainer.evaluationWindows(docs, 17, 0), 8);
        assertThat(a.firstLoss()).isGreaterThan(Math.log(CONFIG.vocabulary()) - 0.5);
        // every id is determined by the one before, except the first after a start token that leads a
        // window from the middle of a document (one target in 16): that one costs up to ln(V)
        assertThat(heldOut).isLessThan(Math.log(CONFIG.vocabulary()) / 16 + 0.05);
        Trainer.Result other = new Trainer(COMPUTE).train(CONFIG, docs,
                new Trainer.Settings(10, 4, 1e-2, 1e-3, 2, 0.1, 1.0, 43), Progress.NONE, line -> { });
        assertThat(other.weights().tensors().get("tok_emb.weight").data())
                .isNotEqualTo(a.weights().tensors().get("tok_emb.weight").data());
    }

    @Test
    void scheduleWarmsUpLinearlyThenDecaysAlongACosine() {
        LearningRate lr = new LearningRate(1e-3, 1e-4, 10, 110);
        assertThat(lr.at(0)).isCloseTo(1e-4, within(1e-12));
        assertThat(lr.at(9)).isCloseTo(1e-3, within(1e-12));
        assertThat(lr.at(60)).isCloseTo(5.5e-4, within(1e-12));
        assertThat(lr.at(110)).isCloseTo(1e-4, within(1e-12));
        for (int s = 10; s < 110; s++) {
            assertThat(lr.at(s + 1)).isLessThanOrEqualTo(lr.at(s));
        }
    }

    @Test
    void clippingScalesTheGlobalNormDownToTheLimitOnly() {
        ModelWeights g = ModelWeights.zeros(CONFIG);
        g.fill(0.5f);
        double norm = AdamW.clip(g, 1.0);
        assertThat(norm).isCloseTo(0.5 * Math.sqrt(CONFIG.parameterCount()), within(1e-3));
        assertThat(AdamW.clip(g, 1.0)).isCloseTo(1.0, within(1e-5));
        assertThat(AdamW.clip(g, 10.0)).isCloseTo(1.0, within(1e-5));
    }

    @Test
    void checkpointsRoundTripAndCarryTheirConfig(@TempDir Path dir) throws IOException {
        ModelWeights w = ModelWeights.initialise(CONFIG, 3);
        Path file = dir.resolve("m.safetensors");
        Checkpoint.write(w, Map.of("tokenlab.corpus", "test"), file);
        Checkpoint.Loaded loaded = Checkpoint.read(file);
        assertThat(loaded.weights().config()).isEqualTo(CONFIG);
        assertThat(loaded.metadata()).containsEntry("tokenlab.corpus", "test");
        for (String name : w.tensors().keySet()) {
            assertThat(loaded.weights().tensors().get(name).data()).containsExactly(w.tensors().get(name).data());
        }
        byte[] bytes = Files.readAllBytes(file);
        String header = new String(bytes, 8, 400, java.nio.charset.StandardCharsets.UTF_8);
        Files.write(file, new String(bytes, java.nio.charset.StandardCharsets.ISO_8859_1)
                .replace("\"transformer.heads\":\"3\"", "\"transformer.heads\":\"x\"")
                .getBytes(java.nio.charset.StandardCharsets.ISO_8859_1));
        assertThat(header).contains("transformer.heads");
        assertThatThrownBy(() -> Checkpoint.read(file)).hasMessageContaining("m.safetensors")
                .hasMessageContaining("transformer.heads").hasMessageContaining("expected an integer");
    }

    @Test
    void aTraceRecordsCausalAttentionAndEveryLayersStates() {
        TransformerLanguageModel model = new TransformerLanguageModel(COMPUTE, ModelWeights.initialise(CONFIG, 6), "");
        int[] seq = tokens(2, 10);
        TransformerTrace trace = model.trace(seq);
        assertThat(trace.hiddenStates()).hasSize(CONFIG.layers() + 1);
        assertThat(trace.layers()).hasSize(CONFIG.layers());
        for (TransformerTrace.Layer layer : trace.layers()) {
            assertThat(layer.attention()).hasSize(CONFIG.heads());
            for (FloatMatrix map : layer.attention()) {
                for (int i = 0; i < 10; i++) {
                    double sum = 0;
                    for (int j = 0; j < 10; j++) {
                        sum += map.get(i, j);
                        if (j > i) {
                            assertThat(map.get(i, j)).isZero();
                        }
                    }
                    assertThat(sum).isCloseTo(1, within(1e-5));
                }
            }
            assertThat(layer.stackedAttention().rows()).isEqualTo(CONFIG.heads() * 10);
        }
        // the residual stream: each layer's state is the previous plus its two modules' outputs
        FloatMatrix before = trace.hiddenStates().get(0);
        FloatMatrix after = trace.hiddenStates().get(1);
        TransformerTrace.Layer first = trace.layers().get(0);
        for (int k = 0; k < before.data().length; k++) {
            assertThat(after.data()[k]).isCloseTo(before.data()[k] + first.attentionOutput().data()[k]
                    + first.mlpOutput().data()[k], within(1e-5f));
        }
    }
}
