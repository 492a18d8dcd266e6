package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.lm.TransformerTrace;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import io.tokenlab.plugin.prune.dhsa.DhsaTechnique;
import io.tokenlab.plugin.prune.dhsa.HierarchicalSparseAttention;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * DHSA on the own queries and keys of a byte-level transformer trained here on real text (400 steps),
 * judged by the attention the model really
 * computes: the sparse mask holds more of each head's attention mass than random masks of the same
 * density, and the keys prune/dhsa keeps draw more of the last queries' attention than random keys.
 */
class DhsaOnTransformerTest {
    private static final int BLOCK = 16;
    private static final double DENSITY = 0.25;
    private static final int CONTEXT = 128;
    private static final int STEPS = 400;

    private static TransformerLanguageModel model;
    private static int[] heldOut;

    /** A byte-level transformer trained on real text long enough that its heads attend with structure. */
    @BeforeAll
    static void train() throws Exception {
        RunContext context = TinyTrained.context();
        Tokenizer bytes = context.technique(TokenizerTechnique.class, "tokenizer/bytes").orElseThrow()
                .open(Parameters.empty(), context);
        int start = TrainingCorpus.startToken(bytes);
        TrainingCorpus corpus = TrainingCorpus.read(RealRuns.dataDirectory().resolve("linux-doc"), bytes, start,
                1_000_000, 20_000);
        TransformerConfig config = TransformerConfig.of(bytes.vocabularySize(), 32, 2, 2, CONTEXT, start);
        Trainer.Result result = new Trainer(RealRuns.COMPUTE).train(config, corpus.training(),
                new Trainer.Settings(STEPS, 8, 3e-3, 3e-4, 40, 0.1, 1.0, 1), Progress.NONE, System.out::println);
        model = new TransformerLanguageModel(RealRuns.COMPUTE, result.weights(), "linux-doc bytes");
        heldOut = Arrays.stream(Trainer.evaluationWindows(corpus.heldOut(), CONTEXT, start))
                .filter(w -> w.length == CONTEXT).findFirst().orElseThrow();
    }

    @Test
    void theSparseMaskHoldsMoreRealAttentionMassThanRandomMasks() {
        RunContext context = TinyTrained.context();
        int[] ids = heldOut;
        TransformerTrace trace = model.trace(ids);
        int n = ids.length;
        int headWidth = model.dimension() / model.heads();
        Random random = new Random(3);
        double dhsaTotal = 0;
        double randomTotal = 0;
        double keptTotal = 0;
        double randomKeptTotal = 0;
        for (TransformerTrace.Layer layer : trace.layers()) {
            for (int h = 0; h < model.heads(); h++) {
                FloatMatrix q = columns(layer.queries(), h * headWidth, headWidth);
                FloatMatrix k = columns(layer.keys(), h * headWidth, headWidth);
                FloatMatrix attention = layer.attention().get(h);
                int[] starts = HierarchicalSparseAttention.chunkStarts(k, 4, 1.1, context.compute());
                FloatMatrix importance = HierarchicalSparseAttention.tokenImportance(q, k, starts, BLOCK, context.compute());
                boolean[][] mask = HierarchicalSparseAttention.mask(importance, n, BLOCK, DENSITY, 0, 0, 0, context.compute());
                dhsaTotal += heldMass(mask, attention);
                for (int trial = 0; trial < 8; trial++) {
                    randomTotal += heldMass(randomMask(mask, random), attention) / 8;
                }
                // the stage: features = keys, context = the last block's queries (they see every key)
                int keep = n / 4;
                FloatMatrix lastQueries = rows(q, n - BLOCK, BLOCK);
                int[] kept = new DhsaTechnique().select(new TokenSet(k, null, 0, 0, null, null, lastQueries), keep,
                        Parameters.empty(), context);
                assertThat(kept).hasSize(keep);
                keptTotal += lastRowsMass(attention, kept, n - BLOCK);
                for (int trial = 0; trial < 8; trial++) {
                    int[] shuffled = random.ints(0, n).distinct().limit(keep).toArray();
                    randomKeptTotal += lastRowsMass(attention, shuffled, n - BLOCK) / 8;
                }
            }
        }
        int heads = trace.layers().size() * model.heads();
        System.out.printf("DHSA on the transformer (%d heads, %d tokens, density %.2f): mask holds %.3f of the "
                        + "attention mass per head vs %.3f for random masks; kept keys draw %.3f vs %.3f for random keys%n",
                heads, n, DENSITY, dhsaTotal / heads, randomTotal / heads, keptTotal / heads, randomKeptTotal / heads);
        assertThat(dhsaTotal / heads).isGreaterThan(randomTotal / heads + 0.03);
        assertThat(keptTotal).isGreaterThan(randomKeptTotal);
    }

    /** Mean over queries of the attention mass the mask lets through. */
    private static double heldMass(boolean[][] mask, FloatMatrix attention) {
        double held = 0;
        for (int i = 0; i < mask.length; i++) {
            for (int j = 0; j <= i; j++) {
                held += mask[i][j] ? attention.get(i, j) : 0;
            }
        }
        return held / mask.length;
    }

    /** A mask with, per query, as many allowed keys as {@code like} (the query itself always), placed at random. */
    private static boolean[][] randomMask(boolean[][] like, Random random) {
        boolean[][] out = new boolean[like.length][];
        for (int i = 0; i < like.length; i++) {
            out[i] = new boolean[like[i].length];
            int count = 0;
            for (int j = 0; j <= i; j++) {
                count += like[i][j] ? 1 : 0;
            }
            out[i][i] = true;
            int placed = 1;
            while (placed < count) {
                int j = random.nextInt(i + 1);
                if (!out[i][j]) {
                    out[i][j] = true;
                    placed++;
                }
            }
        }
        return out;
    }

    private static double lastRowsMass(FloatMatrix attention, int[] keys, int from) {
        double mass = 0;
        for (int i = from; i < attention.rows(); i++) {
            for (int j : keys) {
                mass += attention.get(i, j);
            }
        }
        return mass / (attention.rows() - from);
    }

    private static FloatMatrix columns(FloatMatrix m, int from, int width) {
        FloatMatrix out = new FloatMatrix(m.rows(), width, new float[m.rows() * width]);
        for (int r = 0; r < m.rows(); r++) {
            for (int c = 0; c < width; c++) {
                out.set(r, c, m.get(r, from + c));
            }
        }
        return out;
    }

    private static FloatMatrix rows(FloatMatrix m, int from, int count) {
        return new FloatMatrix(count, m.cols(), Arrays.copyOfRange(m.data(), from * m.cols(), (from + count) * m.cols()));
    }
}
