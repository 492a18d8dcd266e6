package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;

import java.util.Arrays;
import java.util.SplittableRandom;
import java.util.function.Consumer;

/**
 * Trains a model on token documents: windows of up to {@code context + 1} ids drawn at random
 * (documents shorter than that give shorter rows, so batches mix lengths), AdamW with gradient
 * clipping under a warm-up plus cosine schedule. The seed fixes the initial weights and the order
 * of the windows, so the same settings train the same model.
 */
public final class Trainer {
    /** What to train and how. */
    public record Settings(int steps, int batch, double learningRate, double minimumLearningRate, int warmup,
                           double weightDecay, double clipNorm, long seed) {
        public Settings {
            if (steps < 1 || batch < 1) {
                throw new IllegalArgumentException("steps " + steps + " and batch " + batch + " must be at least 1");
            }
        }
    }

    /** The outcome of a run. */
    public record Result(ModelWeights weights, double firstLoss, double lastLoss, double seconds, long tokens) {
    }

    private final Compute compute;

    public Trainer(Compute compute) {
        this.compute = compute;
    }

    public Result train(TransformerConfig config, int[][] documents, Settings s, Progress progress,
                        Consumer<String> log) {
        return train(ModelWeights.initialise(config, s.seed()), documents, s, progress, log);
    }

    /**
     * Trains on from {@code initial} (left as it is: the result holds a copy), as fine-tuning does;
     * the optimizer's moments start at zero.
     */
    public Result train(ModelWeights initial, int[][] documents, Settings s, Progress progress, Consumer<String> log) {
        return train(initial, documents, s, progress, log, null);
    }

    /**
     * As {@link #train(ModelWeights, int[][], Settings, Progress, Consumer)}; with {@code embeddings},
     * every step's sequences read their token embeddings from fresh tables it draws (a lexinvariant
     * model), and the model's own embedding table is not trained.
     */
    Result train(ModelWeights initial, int[][] documents, Settings s, Progress progress, Consumer<String> log,
                 Lexinvariance.Tables embeddings) {
        ModelWeights weights = initial.copy();
        TransformerConfig config = weights.config();
        ModelWeights grads = ModelWeights.zeros(config);
        AdamW optimizer = new AdamW(config, 0.9f, 0.95f, 1e-8f, (float) s.weightDecay());
        LearningRate schedule = new LearningRate(s.learningRate(), s.minimumLearningRate(), s.warmup(), s.steps());
        WindowSampler sampler = new WindowSampler(documents, config.context() + 1, config.start(), s.seed());
        long start = System.nanoTime();
        double first = Double.NaN;
        double smoothed = Double.NaN;
        long tokens = 0;
        progress.begin("training a transformer (" + config.parameterCount() / 1000 + "k parameters) for " + s.steps()
                + " steps", s.steps());
        try {
            for (int step = 0; step < s.steps(); step++) {
                Batch batch = Batch.ofWindows(sampler.next(s.batch()), config.context());
                grads.fill(0f);
                TrainingPass pass = new TrainingPass(compute, weights, batch,
                        embeddings == null ? null : embeddings.draw(step, batch.size()));
                double loss = pass.forward();
                pass.backward(grads);
                double norm = AdamW.clip(grads, s.clipNorm());
                float lr = (float) schedule.at(step);
                optimizer.step(weights, grads, lr);
                tokens += batch.targetCount();
                first = step == 0 ? loss : first;
                smoothed = step == 0 ? loss : 0.9 * smoothed + 0.1 * loss;
                progress.advance(1);
                if (step % Math.max(1, s.steps() / 20) == 0 || step == s.steps() - 1) {
                    log.accept(String.format(java.util.Locale.ROOT,
                            "step %d/%d loss %.3f (smoothed %.3f) grad norm %.2f lr %.2e, %.1f s",
                            step + 1, s.steps(), loss, smoothed, norm, lr, (System.nanoTime() - start) / 1e9));
                }
            }
        } finally {
            progress.end();
        }
        return new Result(weights, first, smoothed, (System.nanoTime() - start) / 1e9, tokens);
    }

    /** Mean negative log-likelihood (nats per token) of the windows, evaluated in batches. */
    public double meanLoss(ModelWeights weights, int[][] windows, int batchSize) {
        double total = 0;
        long count = 0;
        for (int i = 0; i < windows.length; i += batchSize) {
            int[][] part = Arrays.copyOfRange(windows, i, Math.min(windows.length, i + batchSize));
            Batch batch = Batch.ofWindows(part, weights.config().context());
            int n = batch.targetCount();
            total += new TrainingPass(compute, weights, batch).forward() * n;
            count += n;
        }
        return total / count;
    }

    /**
     * Windows of up to {@code length} ids covering each document once, each led by the start token
     * as in training: the first is the document's beginning, each later one is the start token and
     * the next ids (its first is the previous window's last, so every id is predicted once).
     */
    public static int[][] evaluationWindows(int[][] documents, int length, int start) {
        java.util.List<int[]> out = new java.util.ArrayList<>();
        for (int[] doc : documents) {
            if (doc.length < 2) {
                continue;
            }
            out.add(Arrays.copyOf(doc, Math.min(doc.length, length)));
            for (int s = length - 1; s + 1 < doc.length; s += length - 2) {
                out.add(WindowSampler.led(start, doc, s, length));
            }
        }
        return out.toArray(new int[0][]);
    }

    /**
     * Random windows, a document chosen in proportion to its length. Every window starts with the
     * start token (a document's own first id, or put in front of a window from its middle), so
     * position 0 always holds the same token, as a model later sees it after a prompt's start token.
     */
    static final class WindowSampler {
        private final int[][] documents;
        private final long[] cumulative;
        private final int length;
        private final int start;
        private final SplittableRandom random;

        WindowSampler(int[][] documents, int length, int start, long seed) {
            this.length = length;
            this.start = start;
            this.random = new SplittableRandom(seed);
            int usable = 0;
            for (int[] d : documents) {
                usable += d.length >= 2 ? 1 : 0;
            }
            if (usable == 0) {
                throw new IllegalArgumentException("no document has two tokens to train on");
            }
            this.documents = new int[usable][];
            this.cumulative = new long[usable];
            long sum = 0;
            int k = 0;
            for (int[] d : documents) {
                if (d.length >= 2) {
                    this.documents[k] = d;
                    sum += d.length;
                    cumulative[k++] = sum;
                }
            }
        }

        int[][] next(int count) {
            int[][] out = new int[count][];
            for (int i = 0; i < count; i++) {
                long r = random.nextLong(cumulative[cumulative.length - 1]);
                int k = Arrays.binarySearch(cumulative, r + 1);
                k = k >= 0 ? k : -k - 1;
                int[] doc = documents[k];
                int offset = doc.length > length ? random.nextInt(doc.length - length + 1) : 0;
                out[i] = offset == 0 ? Arrays.copyOf(doc, Math.min(doc.length, length)) : led(start, doc, offset, length);
            }
            return out;
        }

        /** The start token followed by {@code doc[offset ..]}, {@code length} ids at most. */
        static int[] led(int start, int[] doc, int offset, int length) {
            int n = Math.min(doc.length - offset, length - 1);
            int[] w = new int[n + 1];
            w[0] = start;
            System.arraycopy(doc, offset, w, 1, n);
            return w;
        }
    }
}
