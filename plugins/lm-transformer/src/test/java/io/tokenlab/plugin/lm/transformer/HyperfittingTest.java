package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.plugin.decoder.baseline.BaselineDecoder;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hyperfitting on the byte-level transformer trained here: fine-tuned on 32 windows of its training
 * text until the loss there is near zero, then asked to continue held-out prompts. The paper's
 * direction, measured through decoder/baseline on the real models: the hyperfitted model's greedy
 * continuations repeat themselves less than the base model's greedy ones (more distinct 4-grams,
 * shorter repeated runs), with far lower prediction entropy; top-p sampling of the base model is
 * printed beside them for reference.
 */
class HyperfittingTest {
    /** Windows hyperfitted on and fine-tuning steps; benchmarks/transformer-experiment.sh hyperfitting runs other sizes. */
    private static final int SET = Integer.getInteger("hyperfitting.set", 16);
    private static final int STEPS = Integer.getInteger("hyperfitting.steps", 800);
    private static final int PROMPTS = 16;
    private static final int PROMPT_BYTES = 32;
    private static final int GENERATED = TrainedBytes.CONTEXT - PROMPT_BYTES;

    @Test
    void hyperfittedGreedyOutputRepeatsLessThanTheBaseModelsAndIsSharper() {
        TrainedBytes trained = TrainedBytes.get();
        int[][] set = Arrays.copyOf(Trainer.evaluationWindows(trained.corpus.training(), TrainedBytes.CONTEXT + 1,
                trained.start), SET);
        Trainer trainer = new Trainer(RealRuns.COMPUTE);
        double before = trainer.meanLoss(trained.weights, set, 8);
        Trainer.Result fitted = Hyperfitting.hyperfit(trainer, trained.weights, set, STEPS, 8, 3e-3, 5, System.out::println);
        double after = trainer.meanLoss(fitted.weights(), set, 8);
        TransformerLanguageModel hyperfitted = new TransformerLanguageModel(RealRuns.COMPUTE, fitted.weights(),
                "hyperfitted");

        List<int[]> prompts = Arrays.stream(Trainer.evaluationWindows(trained.corpus.heldOut(), TrainedBytes.CONTEXT,
                trained.start)).filter(w -> w.length == TrainedBytes.CONTEXT).limit(PROMPTS)
                .map(w -> Arrays.copyOf(w, PROMPT_BYTES)).toList();
        assertThat(prompts).hasSize(PROMPTS);
        Parameters greedy = Parameters.of(Map.of("temperature", 0.0, "stop.at.end", false));
        Parameters topP = Parameters.of(Map.of("temperature", 1.0, "top.p", 0.9, "stop.at.end", false));
        Hyperfitting.Statistics baseGreedy = generate(trained.model, prompts, greedy, new ArrayList<>());
        Hyperfitting.Statistics baseTopP = generate(trained.model, prompts, topP, new ArrayList<>());
        List<int[]> fittedOutputs = new ArrayList<>();
        Hyperfitting.Statistics fittedGreedy = generate(hyperfitted, prompts, greedy, fittedOutputs);
        double recited = fittedOutputs.stream().mapToInt(out -> Hyperfitting.longestRunFrom(out, set)).average()
                .orElseThrow();
        System.out.printf("hyperfitting: loss on the %d-window set %.3f -> %.3f nats/byte; %d held-out prompts x %d bytes: "
                        + "distinct 4-grams / longest repeated run / entropy: base greedy %.3f / %.1f / %.3f, base top-p 0.9 "
                        + "%.3f / %.1f / %.3f, hyperfitted greedy %.3f / %.1f / %.3f; its longest run recited from the set %.1f bytes%n",
                SET, before, after, PROMPTS, GENERATED, baseGreedy.distinct(), baseGreedy.longestRepeat(),
                baseGreedy.entropy(), baseTopP.distinct(), baseTopP.longestRepeat(), baseTopP.entropy(),
                fittedGreedy.distinct(), fittedGreedy.longestRepeat(), fittedGreedy.entropy(), recited);
        // one line per row for benchmarks/transformer-experiment.sh: name, distinct 4-grams, longest repeat, entropy
        for (Object[] row : new Object[][]{{"base greedy", baseGreedy}, {"base top-p 0.9", baseTopP},
                {"hyperfitted greedy", fittedGreedy}}) {
            Hyperfitting.Statistics st = (Hyperfitting.Statistics) row[1];
            System.out.printf("hyperfitting-row\t%s\t%.4f\t%.2f\t%.4f%n", row[0], st.distinct(), st.longestRepeat(),
                    st.entropy());
        }
        System.out.printf("hyperfitting-fit\t%d\t%d\t%.4f\t%.4f\t%.2f%n", SET, STEPS, before, after, recited);
        assertThat(after).as("loss on the hyperfitting set").isLessThan(before / 5);
        assertThat(recited).as("longest run recited from the set").isLessThan(GENERATED / 2.0);
        assertThat(fittedGreedy.distinct()).isGreaterThan(baseGreedy.distinct());
        assertThat(fittedGreedy.longestRepeat()).isLessThan(baseGreedy.longestRepeat());
        assertThat(fittedGreedy.entropy()).isLessThan(baseGreedy.entropy());
    }

    /** Mean statistics of decoder/baseline's continuations of the prompts under {@code model}; the continuations go to {@code outputs}. */
    private static Hyperfitting.Statistics generate(TransformerLanguageModel model, List<int[]> prompts,
                                                    Parameters parameters, List<int[]> outputs) {
        RunContext context = TinyTrained.context();
        BaselineDecoder decoder = new BaselineDecoder();
        List<Hyperfitting.Statistics> all = new ArrayList<>();
        for (int i = 0; i < prompts.size(); i++) {
            int[] prompt = prompts.get(i);
            int[] out = decoder.generate(new GenerationRequest(model, null, prompt, GENERATED, 17 + i, null),
                    parameters, context).tokens();
            assertThat(out).hasSize(GENERATED);
            outputs.add(out);
            all.add(Hyperfitting.statistics(model, prompt, out, 4));
        }
        return Hyperfitting.Statistics.mean(all);
    }
}
