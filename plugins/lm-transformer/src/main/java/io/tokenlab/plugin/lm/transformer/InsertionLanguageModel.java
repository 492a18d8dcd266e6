package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Insertion language models (Patel et al. 2025, "Insertion Language Models: Sequence Generation with
 * Arbitrary-Position Insertions") on the byte transformer. The model reads a partial sequence (the
 * start token at position 0, then bytes in order) with attention both ways, and one softmax runs
 * jointly over every (gap, byte) pair and a stop: the tied output at position i (logits
 * {@code h_i . E^T}) scores each byte inserted into the gap right after position i, and stop scores
 * {@code h_0 . s} with a learned vector s (the start token's state summarises the whole sequence).
 * The reference code keeps stop apart, as a binary classifier on its CLS position; a single softmax
 * makes "insert nothing more" one more outcome of the same distribution, and decoding stops, as the
 * paper's does, once its probability reaches a threshold.
 *
 * <p>Training drops a random subset of a real window, the number dropped uniform in 0..length as in
 * the paper; the target is the paper's: each missing byte counts once in the gap it is missing from,
 * the counts divided by the number missing (so a gap missing "ab" gets mass 1/k on a and 1/k on b),
 * and the loss is the cross-entropy to that target ({@code -sum q log p}, not {@code -log sum p});
 * stop is the target of a complete window. Since the windows are arbitrary fixed-length cuts of the
 * corpus, "complete" means "as long as a window": the stop this model learns is a length.
 *
 * <p>Because insertion never removes a byte, decoding from required words as the partial sequence
 * keeps them by construction; the gaps inside a word are closed so each word also stays whole.
 */
final class InsertionLanguageModel {
    static final String TRANSFORMER = "transformer";
    static final String STOP = "stop";

    /**
     * A partial sequence (start token first) and what it misses: pair k puts {@code missingToken[k]}
     * into the gap after position {@code missingGap[k]}, once per missing occurrence; no pairs means complete.
     */
    record Partial(int[] tokens, int[] missingGap, int[] missingToken) {
        Partial {
            if (missingGap.length != missingToken.length) {
                throw new IllegalArgumentException(missingGap.length + " gaps for " + missingToken.length + " tokens");
            }
            for (int g : missingGap) {
                if (g < 0 || g >= tokens.length) {
                    throw new IllegalArgumentException("gap " + g + " outside a sequence of " + tokens.length);
                }
            }
        }

        int missing() {
            return missingToken.length;
        }
    }

    /** The joint distribution over a partial sequence: log P(gap i, token v) at {@code i * V + v}, and log P(stop). */
    record Joint(float[] logProbabilities, float stop, int vocabulary) {
        /** log P(token v | gap i), the joint renormalised over the gap's tokens. */
        double conditional(int gap, int token) {
            double max = Double.NEGATIVE_INFINITY;
            for (int v = 0; v < vocabulary; v++) {
                max = Math.max(max, logProbabilities[gap * vocabulary + v]);
            }
            double sum = 0;
            for (int v = 0; v < vocabulary; v++) {
                sum += Math.exp(logProbabilities[gap * vocabulary + v] - max);
            }
            return logProbabilities[gap * vocabulary + token] - max - Math.log(sum);
        }
    }

    /** A trained model and its first and last (smoothed) training losses. */
    record Trained(InsertionLanguageModel model, double firstLoss, double lastLoss) {
    }

    private final Compute compute;
    private final TensorSet parameters;
    private final ModelWeights weights;
    private final float[] stop;

    InsertionLanguageModel(Compute compute, TensorSet parameters) {
        this.compute = compute;
        this.parameters = parameters;
        this.weights = parameters.part(TRANSFORMER);
        this.stop = parameters.tensor(STOP).data();
    }

    /** A transformer of {@code config} and a stop vector, both N(0, 0.02) as GPT-2 starts. */
    static TensorSet initialise(TransformerConfig config, long seed) {
        return new TensorSet().add(TRANSFORMER, ModelWeights.initialise(config, seed))
                .add(STOP, TensorSet.gaussian(1, config.dimension(), 0.02, new Random(seed + 1)));
    }

    TensorSet parameters() {
        return parameters;
    }

    TransformerConfig config() {
        return weights.config();
    }

    /**
     * Drops a random subset of {@code window} (start token first, which stays): the number dropped
     * uniform in 0..bytes, then which ones uniformly, as the paper's training does.
     */
    static Partial drop(int[] window, SplittableRandom random) {
        int n = window.length - 1;
        int k = random.nextInt(n + 1);
        int[] order = new int[n];
        for (int i = 0; i < n; i++) {
            order[i] = i + 1;
        }
        boolean[] dropped = new boolean[window.length];
        for (int i = 0; i < k; i++) {
            int j = i + random.nextInt(n - i);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
            dropped[order[i]] = true;
        }
        return partialWithout(window, dropped);
    }

    /** {@code window} without the positions marked, and the pairs that restore it. */
    static Partial partialWithout(int[] window, boolean[] dropped) {
        int[] tokens = new int[window.length];
        int[] gaps = new int[window.length];
        int[] missing = new int[window.length];
        int kept = 0;
        int pairs = 0;
        for (int p = 0; p < window.length; p++) {
            if (dropped[p] && p > 0) {
                gaps[pairs] = kept - 1;
                missing[pairs++] = window[p];
            } else {
                tokens[kept++] = window[p];
            }
        }
        return new Partial(Arrays.copyOf(tokens, kept), Arrays.copyOf(gaps, pairs), Arrays.copyOf(missing, pairs));
    }

    /**
     * The mean over {@code batch} of each partial sequence's cross-entropy to its target (nats);
     * with {@code grads} (of {@link #parameters()}' shapes) adds its gradient to them.
     */
    double loss(List<Partial> batch, TensorSet grads) {
        int size = batch.size();
        int width = batch.stream().mapToInt(p -> p.tokens().length).max().orElseThrow();
        int v = config().vocabulary();
        int d = config().dimension();
        int[] tokens = new int[size * width];
        int[] targets = new int[size * width];
        int[] lengths = new int[size];
        Arrays.fill(tokens, config().start());
        Arrays.fill(targets, -1);
        for (int s = 0; s < size; s++) {
            int[] t = batch.get(s).tokens();
            System.arraycopy(t, 0, tokens, s * width, t.length);
            lengths[s] = t.length;
        }
        TrainingPass pass = new TrainingPass(compute, weights, new Batch(size, width, tokens, targets, lengths))
                .attendBothWays();
        float[] hidden = pass.forwardHidden();
        int n = size * width;
        float[] logits = headLogits(hidden, n);
        float[] dLogits = grads == null ? null : new float[n * v];
        float[] dStop = new float[size];
        double total = 0;
        for (int s = 0; s < size; s++) {
            Partial p = batch.get(s);
            int row0 = s * width;
            int cells = p.tokens().length * v;
            float stopLogit = dot(hidden, row0 * d, stop, 0, d);
            double max = stopLogit;
            for (int j = 0; j < cells; j++) {
                max = Math.max(max, logits[row0 * v + j]);
            }
            double sum = Math.exp(stopLogit - max);
            for (int j = 0; j < cells; j++) {
                sum += Math.exp(logits[row0 * v + j] - max);
            }
            double logZ = max + Math.log(sum);
            int k = p.missing();
            if (k == 0) {
                total += logZ - stopLogit;
            } else {
                double target = 0;
                for (int m = 0; m < k; m++) {
                    target += logits[(row0 + p.missingGap()[m]) * v + p.missingToken()[m]];
                }
                total += logZ - target / k;
            }
            if (grads != null) {
                // d(cross-entropy)/d(logit) = softmax - target, the target's mass 1/k on each missing pair
                float inv = 1f / size;
                for (int j = 0; j < cells; j++) {
                    dLogits[row0 * v + j] = (float) Math.exp(logits[row0 * v + j] - logZ) * inv;
                }
                dStop[s] = (float) Math.exp(stopLogit - logZ) * inv;
                if (k == 0) {
                    dStop[s] -= inv;
                }
                for (int m = 0; m < k; m++) {
                    dLogits[(row0 + p.missingGap()[m]) * v + p.missingToken()[m]] -= inv / k;
                }
            }
        }
        if (grads != null) {
            ModelWeights g = grads.part(TRANSFORMER);
            // tied output, as TrainingPass.backward: E gets dLogits^T hidden, hidden gets dLogits E
            compute.gemm(true, false, 1f, new FloatMatrix(n, v, dLogits), new FloatMatrix(n, d, hidden), 1f,
                    g.embeddings);
            float[] dHidden = new float[n * d];
            compute.gemm(false, false, 1f, new FloatMatrix(n, v, dLogits), weights.embeddings, 0f,
                    new FloatMatrix(n, d, dHidden));
            float[] dStopVector = grads.tensor(STOP).data();
            for (int s = 0; s < size; s++) {
                int o = s * width * d;
                for (int j = 0; j < d; j++) {
                    dHidden[o + j] += dStop[s] * stop[j];
                    dStopVector[j] += dStop[s] * hidden[o + j];
                }
            }
            pass.backwardHidden(g, dHidden);
        }
        return total / size;
    }

    /** The joint log-probabilities of every (gap, token) pair and of stop for one partial sequence. */
    Joint joint(int[] tokens) {
        int len = tokens.length;
        int v = config().vocabulary();
        int d = config().dimension();
        Batch batch = new Batch(1, len, tokens.clone(), filled(len, -1), new int[]{len});
        float[] hidden = new TrainingPass(compute, weights, batch).attendBothWays().forwardHidden();
        float[] logits = headLogits(hidden, len);
        float stopLogit = dot(hidden, 0, stop, 0, d);
        double max = stopLogit;
        for (float x : logits) {
            max = Math.max(max, x);
        }
        double sum = Math.exp(stopLogit - max);
        for (float x : logits) {
            sum += Math.exp(x - max);
        }
        float logZ = (float) (max + Math.log(sum));
        for (int j = 0; j < logits.length; j++) {
            logits[j] -= logZ;
        }
        return new Joint(logits, stopLogit - logZ, v);
    }

    /**
     * Greedy insertion decoding: from {@code tokens} (start token first), inserts the most likely
     * (gap, token) pair over the gaps marked {@code open} (gap i: after position i) and tokens
     * {@code firstToken}.. of the vocabulary (the bytes, not the special tokens), until the probability
     * of stop reaches {@code stopThreshold} or the sequence holds {@code maxLength} tokens. A new
     * token's gap is open. Stop is weighed against inserting anything at all, as the paper's threshold
     * does, not against the single best pair: that one carries a tiny share of a mass spread over
     * every gap and byte, so an argmax over the joint would stop almost at once.
     */
    int[] insertGreedily(int[] tokens, boolean[] open, int firstToken, int maxLength, double stopThreshold) {
        return insert(tokens, open, firstToken, maxLength, stopThreshold, null);
    }

    /** As {@link #insertGreedily}, each pair drawn from the joint over the allowed pairs instead (temperature 1). */
    int[] insertSampled(int[] tokens, boolean[] open, int firstToken, int maxLength, double stopThreshold,
                        Random random) {
        return insert(tokens, open, firstToken, maxLength, stopThreshold, random);
    }

    private int[] insert(int[] tokens, boolean[] open, int firstToken, int maxLength, double stopThreshold,
                         Random random) {
        if (open.length != tokens.length || maxLength > config().context()) {
            throw new IllegalArgumentException(open.length + " gap flags for " + tokens.length + " tokens, or "
                    + maxLength + " beyond the context " + config().context());
        }
        List<Integer> sequence = new ArrayList<>();
        List<Boolean> gaps = new ArrayList<>();
        for (int i = 0; i < tokens.length; i++) {
            sequence.add(tokens[i]);
            gaps.add(open[i]);
        }
        int v = config().vocabulary();
        while (sequence.size() < maxLength) {
            Joint joint = joint(sequence.stream().mapToInt(Integer::intValue).toArray());
            if (Math.exp(joint.stop()) >= stopThreshold) {
                break;
            }
            float[] logp = joint.logProbabilities();
            double allowed = 0;
            int best = -1;
            for (int i = 0; i < sequence.size(); i++) {
                if (!gaps.get(i)) {
                    continue;
                }
                for (int t = firstToken; t < v; t++) {
                    if (t != config().start()) {
                        allowed += Math.exp(logp[i * v + t]);
                        best = best < 0 || logp[i * v + t] > logp[best] ? i * v + t : best;
                    }
                }
            }
            if (best < 0) {
                break;
            }
            int chosen = best;
            if (random != null) {
                double r = random.nextDouble() * allowed;
                for (int i = 0; i < sequence.size() && r >= 0; i++) {
                    for (int t = firstToken; gaps.get(i) && t < v && r >= 0; t++) {
                        if (t != config().start()) {
                            r -= Math.exp(logp[i * v + t]);
                            chosen = i * v + t;
                        }
                    }
                }
            }
            sequence.add(chosen / v + 1, chosen % v);
            gaps.add(chosen / v + 1, true);
        }
        return sequence.stream().mapToInt(Integer::intValue).toArray();
    }

    /**
     * Trains an insertion model on windows of {@code windowBytes} bytes after the start token drawn
     * from {@code documents} (as {@link Trainer} draws them), AdamW with clipping over the transformer
     * and the stop vector, under the warm-up plus cosine schedule.
     */
    static Trained train(Compute compute, TensorSet initial, int[][] documents, int windowBytes, Trainer.Settings s,
                         Consumer<String> log) {
        InsertionLanguageModel model = new InsertionLanguageModel(compute, initial.copy());
        TransformerConfig config = model.config();
        if (windowBytes + 1 > config.context()) {
            throw new IllegalArgumentException(windowBytes + " bytes and the start token exceed the context "
                    + config.context());
        }
        TensorSet grads = model.parameters.zerosLike();
        AdamW optimizer = new AdamW(model.parameters.tensors(), 0.9f, 0.95f, 1e-8f, (float) s.weightDecay());
        LearningRate schedule = new LearningRate(s.learningRate(), s.minimumLearningRate(), s.warmup(), s.steps());
        Trainer.WindowSampler sampler = new Trainer.WindowSampler(documents, windowBytes + 1, config.start(), s.seed());
        SplittableRandom random = new SplittableRandom(s.seed() + 17);
        long start = System.nanoTime();
        double first = Double.NaN;
        double smoothed = Double.NaN;
        for (int step = 0; step < s.steps(); step++) {
            List<Partial> batch = new ArrayList<>();
            for (int[] window : sampler.next(s.batch())) {
                batch.add(drop(window, random));
            }
            grads.fill(0f);
            double loss = model.loss(batch, grads);
            double norm = AdamW.clip(grads.tensors(), s.clipNorm());
            float lr = (float) schedule.at(step);
            optimizer.step(model.parameters.tensors(), grads.tensors(), lr);
            first = step == 0 ? loss : first;
            smoothed = step == 0 ? loss : 0.95 * smoothed + 0.05 * loss;
            if (step % Math.max(1, s.steps() / 10) == 0 || step == s.steps() - 1) {
                log.accept(String.format(java.util.Locale.ROOT,
                        "insertion step %d/%d loss %.3f (smoothed %.3f) grad norm %.2f lr %.2e, %.1f s", step + 1,
                        s.steps(), loss, smoothed, norm, lr, (System.nanoTime() - start) / 1e9));
            }
        }
        return new Trained(model, first, smoothed);
    }

    /** The tied output on every row: {@code hidden . E^T} (rows x vocabulary). */
    private float[] headLogits(float[] hidden, int rows) {
        FloatMatrix logits = FloatMatrix.zeros(rows, config().vocabulary());
        compute.gemm(false, true, 1f, new FloatMatrix(rows, config().dimension(), hidden), weights.embeddings, 0f,
                logits);
        return logits.data();
    }

    private static float dot(float[] a, int aOffset, float[] b, int bOffset, int length) {
        double sum = 0;
        for (int j = 0; j < length; j++) {
            sum += (double) a[aOffset + j] * b[bOffset + j];
        }
        return (float) sum;
    }

    private static int[] filled(int length, int value) {
        int[] a = new int[length];
        Arrays.fill(a, value);
        return a;
    }
}
