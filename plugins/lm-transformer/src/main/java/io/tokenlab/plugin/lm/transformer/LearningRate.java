package io.tokenlab.plugin.lm.transformer;

/**
 * Linear warm-up to the peak rate over {@code warmup} steps, then a cosine decay to
 * {@code minimum} at step {@code total} (the schedule of GPT-style training runs).
 */
record LearningRate(double peak, double minimum, int warmup, int total) {
    LearningRate {
        if (!(peak > 0) || minimum < 0 || minimum > peak || warmup < 0 || total < 1 || warmup > total) {
            throw new IllegalArgumentException("learning rate " + peak + " -> " + minimum + " over " + warmup
                    + " warm-up of " + total + " steps: need 0 <= minimum <= peak, 0 <= warmup <= total");
        }
    }

    /** The rate for step {@code step} (0-based). */
    double at(int step) {
        if (step < warmup) {
            return peak * (step + 1) / warmup;
        }
        if (total == warmup) {
            return peak;
        }
        double progress = Math.min(1.0, (double) (step - warmup) / (total - warmup));
        return minimum + 0.5 * (peak - minimum) * (1 + Math.cos(Math.PI * progress));
    }
}
