package io.tokenlab.plugin.lm.transformer;

import java.util.Locale;
import java.util.function.Consumer;

/**
 * The optimisation loop of a model made of several parts (a {@link TensorSet}): each step the
 * model's own code fills the gradients and returns its loss; this loop clips them, takes the AdamW
 * step under the warm-up and cosine schedule of {@link Trainer.Settings}, and logs the smoothed loss.
 * The experiments whose models are not one plain transformer (encoder and decoder, gates, heads)
 * share it, so they differ only in their passes.
 */
final class PartsTraining {
    /** One training step's forward and backward passes: adds the gradients to {@code grads}, returns the loss. */
    interface Step {
        double run(int step, TensorSet grads);
    }

    private PartsTraining() {
    }

    /** Trains {@code params} in place; returns the smoothed loss of the last steps. */
    static double run(TensorSet params, Trainer.Settings s, String label, Step step, Consumer<String> log) {
        TensorSet grads = params.zerosLike();
        AdamW optimizer = new AdamW(params.tensors(), 0.9f, 0.95f, 1e-8f, (float) s.weightDecay());
        LearningRate schedule = new LearningRate(s.learningRate(), s.minimumLearningRate(), s.warmup(), s.steps());
        double smoothed = Double.NaN;
        for (int i = 0; i < s.steps(); i++) {
            grads.fill(0f);
            double loss = step.run(i, grads);
            AdamW.clip(grads.tensors(), s.clipNorm());
            optimizer.step(params.tensors(), grads.tensors(), (float) schedule.at(i));
            smoothed = i == 0 ? loss : 0.9 * smoothed + 0.1 * loss;
            if (i % Math.max(1, s.steps() / 10) == 0 || i == s.steps() - 1) {
                log.accept(String.format(Locale.ROOT, "%s step %d/%d loss %.3f", label, i + 1, s.steps(), smoothed));
            }
        }
        return smoothed;
    }
}
