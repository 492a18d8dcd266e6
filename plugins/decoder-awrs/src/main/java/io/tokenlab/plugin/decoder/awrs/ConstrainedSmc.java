package io.tokenlab.plugin.decoder.awrs;

import io.tokenlab.api.decoder.ByteConstraint;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.plugin.decoder.common.Sampling;
import io.tokenlab.plugin.decoder.common.Vocabulary;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Map;
import java.util.SplittableRandom;

/**
 * Sequential Monte Carlo over K particles, each extended by one AWRS draw per step and weighted by
 * its AWRS weight; when the effective sample size falls below {@code essThreshold·K} the particles
 * are resampled (systematically) and the mean weight goes into the normaliser estimate. The result
 * is one particle drawn by weight, and the estimate of the constrained normaliser Z.
 */
final class ConstrainedSmc {
    /** What one run produced. */
    record Result(int[] tokens, boolean complete, Map<String, Double> statistics) {
    }

    private static final class Particle {
        int[] tokens;
        int length;
        int state;
        double logWeight;
        boolean finished;

        Particle(int state, int capacity) {
            this.tokens = new int[capacity];
            this.state = state;
        }

        Particle copy() {
            Particle p = new Particle(state, tokens.length);
            System.arraycopy(tokens, 0, p.tokens, 0, length);
            p.length = length;
            p.logWeight = logWeight;
            p.finished = finished;
            return p;
        }

        boolean alive() {
            return logWeight != Double.NEGATIVE_INFINITY;
        }
    }

    private ConstrainedSmc() {
    }

    static Result run(GenerationRequest request, Vocabulary vocabulary, int particles, double essThreshold,
                      boolean forceCompletion) {
        ByteConstraint constraint = request.constraint();
        ByteAutomaton bounded = forceCompletion && constraint instanceof ByteAutomaton a ? a : null;
        SplittableRandom random = new SplittableRandom(request.seed());
        int max = request.maxTokens();
        int end = vocabulary.endToken();
        Particle[] population = new Particle[particles];
        for (int k = 0; k < particles; k++) {
            population[k] = new Particle(constraint.start(), max);
        }
        double logNormaliser = 0;
        long checks = 0;
        long draws = 0;
        long modelRows = 0;
        int resamples = 0;
        for (int step = 0; step < max; step++) {
            int[] active = new int[particles];
            int n = 0;
            for (int k = 0; k < particles; k++) {
                if (!population[k].finished && population[k].alive()) {
                    active[n++] = k;
                }
            }
            if (n == 0) {
                break;
            }
            int[][] contexts = new int[n][];
            for (int i = 0; i < n; i++) {
                Particle p = population[active[i]];
                int[] ctx = Arrays.copyOf(request.prompt(), request.prompt().length + p.length);
                System.arraycopy(p.tokens, 0, ctx, request.prompt().length, p.length);
                contexts[i] = ctx;
            }
            float[][] rows = request.model().logProbabilities(contexts);
            modelRows += n;
            int remainingAfter = max - step - 1;
            for (int i = 0; i < n; i++) {
                Particle p = population[active[i]];
                int state = p.state;
                AdaptiveRejectionSampler.Draw d = AdaptiveRejectionSampler.sample(rows[i],
                        token -> allowed(constraint, bounded, vocabulary, end, state, token, remainingAfter), random);
                checks += d.checks();
                draws++;
                p.logWeight += d.logWeight();
                if (d.token() < 0) {
                    continue; // no allowed token: the particle dies (weight 0)
                }
                if (d.token() == end) {
                    p.finished = true;
                    continue;
                }
                p.tokens[p.length++] = d.token();
                p.state = constraint.run(state, vocabulary.bytes(d.token()));
            }
            if (effectiveSampleSize(population) < essThreshold * particles && anyAlive(population)) {
                logNormaliser += logMeanWeight(population);
                population = resample(population, random);
                resamples++;
            }
        }
        logNormaliser += logMeanWeight(population);
        double[] weights = normalisedWeights(population);
        Map<String, Double> stats = new HashMap<>();
        stats.put("log.normaliser", logNormaliser);
        stats.put("checks.per.token", draws == 0 ? 0.0 : checks / (double) draws);
        stats.put("constraint.checks", (double) checks);
        stats.put("model.calls", (double) modelRows);
        stats.put("resamples", (double) resamples);
        stats.put("particles", (double) particles);
        if (!anyAlive(population)) {
            stats.put("log.weight", Double.NEGATIVE_INFINITY);
            return new Result(new int[0], false, stats);
        }
        Particle chosen = population[Sampling.draw(weights, random)];
        stats.put("log.weight", chosen.logWeight);
        boolean complete = constraint.accepting(chosen.state);
        return new Result(Arrays.copyOf(chosen.tokens, chosen.length), complete, stats);
    }

    /**
     * The constraint on one token: the end token only where the output is complete, no other special
     * token, any other token if its bytes keep the automaton alive and (when bounded) the shortest
     * completion still fits in the tokens left, counting one token per byte at worst.
     */
    static boolean allowed(ByteConstraint constraint, ByteAutomaton bounded, Vocabulary vocabulary, int end, int state,
                           int token, int remainingAfter) {
        if (token == end) {
            return constraint.accepting(state);
        }
        if (vocabulary.isSpecial(token)) {
            return false;
        }
        byte[] bytes = vocabulary.bytes(token);
        if (bytes.length == 0) {
            return false;
        }
        int next = constraint.run(state, bytes);
        if (next == ByteConstraint.REJECT) {
            return false;
        }
        return bounded == null || bounded.bytesToAccept(next) <= remainingAfter;
    }

    private static boolean anyAlive(Particle[] population) {
        for (Particle p : population) {
            if (p.alive()) {
                return true;
            }
        }
        return false;
    }

    private static double logMeanWeight(Particle[] population) {
        double[] lw = new double[population.length];
        for (int i = 0; i < lw.length; i++) {
            lw[i] = population[i].logWeight;
        }
        return Sampling.logSumExp(lw) - Math.log(population.length);
    }

    private static double[] normalisedWeights(Particle[] population) {
        double max = Double.NEGATIVE_INFINITY;
        for (Particle p : population) {
            max = Math.max(max, p.logWeight);
        }
        double[] w = new double[population.length];
        if (max == Double.NEGATIVE_INFINITY) {
            return w;
        }
        for (int i = 0; i < w.length; i++) {
            w[i] = Math.exp(population[i].logWeight - max);
        }
        return w;
    }

    static double effectiveSampleSize(Particle[] population) {
        double[] w = normalisedWeights(population);
        double s = 0;
        double s2 = 0;
        for (double x : w) {
            s += x;
            s2 += x * x;
        }
        return s2 == 0 ? 0 : s * s / s2;
    }

    private static Particle[] resample(Particle[] population, SplittableRandom random) {
        double[] w = normalisedWeights(population);
        double total = Arrays.stream(w).sum();
        int k = population.length;
        Particle[] out = new Particle[k];
        double step = total / k;
        double u = random.nextDouble() * step;
        double cumulative = w[0];
        int i = 0;
        for (int j = 0; j < k; j++) {
            double target = u + j * step;
            while (cumulative < target && i < k - 1) {
                i++;
                cumulative += w[i];
            }
            out[j] = population[i].copy();
            out[j].logWeight = 0;
        }
        return out;
    }
}
