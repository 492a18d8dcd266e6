package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.lm.TransformerTrace;
import io.tokenlab.plugin.prune.sinks.AttentionSinks;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Attention sinks on real attention of a model trained here, on the task Guo et al. (2024,
 * "Active-Dormant Attention Heads") use to reproduce them in small transformers: Bigram-Backcopy.
 * Sequences start with a start token; each id follows a sparse bigram law, except after a trigger
 * id, where the next id copies the one before the trigger. Attention is needed only at triggers; at
 * every other position a head has nothing to read and parks its attention on the start token (the
 * sink), the paper's dormant behaviour.
 *
 * <p>Checked: prune/sinks runs on this model's real attention (the trace's maps are the
 * distributions the technique requires, heads stacked as it expects) and keeps the tokens it ranks
 * by mass from active heads. The share of attention token 0 receives in later layers is measured
 * and printed beside the uniform share; at this training budget (2 layers, 800 steps, loss near
 * the task's entropy) it stays near uniform, so the paper's sink is not asserted here.
 */
class AttentionSinksOnTrainedModelTest {
    private static final int VOCABULARY = 48;
    private static final int START = 0;
    private static final int TRIGGERS = 3;
    private static final int LENGTH = 48;
    private static TransformerLanguageModel model;

    /** Bigram-Backcopy sequences: ids 1..TRIGGERS are triggers, START leads each sequence. */
    static int[][] bigramBackcopy(int count, long seed) {
        SplittableRandom law = new SplittableRandom(99);
        int[][] successors = new int[VOCABULARY][4];
        for (int a = 1; a < VOCABULARY; a++) {
            for (int k = 0; k < successors[a].length; k++) {
                successors[a][k] = 1 + law.nextInt(VOCABULARY - 1);
            }
        }
        SplittableRandom random = new SplittableRandom(seed);
        int[][] out = new int[count][LENGTH + 1];
        for (int[] s : out) {
            s[0] = START;
            s[1] = TRIGGERS + 1 + random.nextInt(VOCABULARY - TRIGGERS - 1);
            for (int t = 2; t < s.length; t++) {
                int previous = s[t - 1];
                s[t] = previous <= TRIGGERS && t >= 3 ? s[t - 2] : successors[previous][random.nextInt(4)];
            }
        }
        return out;
    }

    @BeforeAll
    static void train() {
        TransformerConfig config = TransformerConfig.of(VOCABULARY, 32, 2, 2, LENGTH, START);
        Trainer.Result result = new Trainer(RealRuns.COMPUTE).train(config, bigramBackcopy(4000, 1),
                new Trainer.Settings(800, 16, 3e-3, 3e-4, 80, 0.0, 1.0, 1), Progress.NONE, System.out::println);
        model = new TransformerLanguageModel(RealRuns.COMPUTE, result.weights(), "bigram-backcopy");
    }

    @Test
    void pruneSinksReadsTheRealAttentionAndTheFirstTokensShareIsMeasured() {
        int[][] heldOut = bigramBackcopy(20, 2);
        int heads = 0;
        int sinkHeads = 0;
        int flagged = 0;
        int dormant = 0;
        double shareSum = 0;
        for (int[] sequence : heldOut) {
            int[] tokens = java.util.Arrays.copyOf(sequence, LENGTH);
            TransformerTrace trace = model.trace(tokens);
            for (int l = 1; l < trace.layers().size(); l++) {
                TransformerTrace.Layer layer = trace.layers().get(l);
                for (FloatMatrix map : layer.attention()) {
                    // mean over the queries that have at least 8 keys to choose from
                    double share = 0;
                    for (int i = 8; i < map.rows(); i++) {
                        share += map.get(i, 0);
                    }
                    share /= map.rows() - 8;
                    shareSum += share;
                    heads++;
                    sinkHeads += share > 0.3 ? 1 : 0;
                }
                AttentionSinks.Report report = new AttentionSinks(0.3, 0.5, 0.9)
                        .detect(AttentionSinks.splitHeads(layer.stackedAttention(), model.heads()));
                flagged += report.sinkTokens()[0] ? 1 : 0;
                dormant += report.dormantCount();
            }
        }
        double uniform = 0;
        for (int i = 8; i < LENGTH; i++) {
            uniform += 1.0 / (i + 1);
        }
        uniform /= LENGTH - 8;
        int layerTraces = heldOut.length * (model.layers() - 1);
        System.out.printf("attention sinks: %d of %d later-layer heads give token 0 > 0.3 of their attention (mean share"
                        + " %.3f, uniform %.3f); the detector flags token 0 in %d of %d layer traces, %d dormant heads%n",
                sinkHeads, heads, shareSum / heads, uniform, flagged, layerTraces, dormant);
        assertThat(heads).isEqualTo(layerTraces * model.heads());
        // the technique itself on the last layer of one trace: it accepts the real maps and keeps by mass
        TransformerTrace trace = model.trace(java.util.Arrays.copyOf(heldOut[0], LENGTH));
        FloatMatrix stacked = trace.layers().get(model.layers() - 1).stackedAttention();
        io.tokenlab.api.prune.TokenSet set = new io.tokenlab.api.prune.TokenSet(trace.hiddenStates().get(model.layers()),
                null, 0, 0, null, stacked, null);
        int[] kept = new io.tokenlab.plugin.prune.sinks.AttentionSinkTechnique().select(set, 12,
                io.tokenlab.api.Parameters.of(java.util.Map.of("heads", model.heads(), "sinks", "INCLUDE")),
                RealRuns.context());
        AttentionSinks.Report report = new AttentionSinks(0.3, 0.5, 0.9)
                .detect(AttentionSinks.splitHeads(stacked, model.heads()));
        double[] mass = report.massFromActiveHeads();
        assertThat(kept).hasSize(12).isSorted();
        double lowestKept = java.util.Arrays.stream(kept).mapToDouble(k -> mass[k]).min().orElseThrow();
        for (int k = 0; k < LENGTH; k++) {
            final int token = k;
            if (java.util.Arrays.stream(kept).noneMatch(x -> x == token)) {
                assertThat(mass[k]).isLessThanOrEqualTo(lowestKept);
            }
        }
    }
}
