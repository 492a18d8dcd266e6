package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.function.Consumer;

/**
 * Context Cascade Compression (C3; Liu et al. 2025, "Context Cascade Compression: Exploring the
 * Upper Limits of Text Compression"): a small encoder model reads a chunk of N text tokens followed
 * by k learned context queries, and its hidden states at the queries are k latent vectors; a decoder
 * model reads the k latents in place of token embeddings, then regenerates the chunk from them. Both
 * are trained together on reconstruction alone, so the latents hold whatever the decoder needs; the
 * compression ratio is N / k. Here both are byte-level transformers of this module, the encoder
 * causal as the paper's LLM encoder is (the queries come last, so they see the whole chunk).
 *
 * <p>Trained from scratch, the decoder first learns to be a language model over the chunk's own
 * bytes and then has no use for the latents (the posterior collapse of autoencoders with strong
 * autoregressive decoders); the paper's pretrained models do not start there. So in training a
 * share of the decoder's input bytes is replaced by the placeholder ({@code inputDropout}, the word
 * dropout of Bowman et al. 2016), which leaves the latents as the only full account of the chunk;
 * evaluation feeds every byte.
 *
 * <p>Aligned layout (an option, not the paper's): latent i is given one share of the chunk, bytes
 * {@code [i N / k, (i + 1) N / k)}: context query i is also added to the encoder's rows of those
 * bytes, and latent i to the decoder's rows that predict them, besides the prefix. Which latent
 * holds which bytes then need not be found by attention, the step a model trained from scratch is
 * slowest to learn (pretrained models bring it); the k latents are still all the decoder gets of
 * the chunk, so the compression ratio is the same.
 *
 * <p>Layouts, for a chunk c of N bytes: encoder {@code [start, c_0 .. c_{N-1}, q_1 .. q_k]} (the
 * queries are learned vectors over a placeholder token); decoder {@code [z_1 .. z_k, start, c_0 ..
 * c_{N-2}]}, trained to predict {@code c_0 .. c_{N-1}} from the start token on.
 */
final class ContextCompression {
    /**
     * The encoder, the decoder and the learned context queries (k x d); {@code parallel}: a decoder
     * trained without its input bytes (input dropout 1), which reconstructs every byte in one pass
     * from the latents and positions alone, and is evaluated so. {@code aligned}: each latent also
     * marks its share of the chunk (see {@link ContextCompression}).
     */
    record Model(ModelWeights encoder, ModelWeights decoder, FloatMatrix queries, int chunk, boolean parallel,
                 boolean aligned) {
        int latents() {
            return queries.rows();
        }
    }

    /**
     * Held-out reconstruction: teacher-forced loss and accuracy, greedy free-running accuracy, and
     * the loss when each chunk is decoded from another chunk's latents (what the latents add beyond
     * what any latents tell the decoder about text in general).
     */
    record Evaluation(double loss, double teacherForcedAccuracy, double greedyAccuracy, double otherChunksLoss) {
    }

    private ContextCompression() {
    }

    /**
     * Trains encoder and decoder (each of {@code config}'s shape, context at least chunk + k + 1)
     * to reconstruct chunks of {@code chunk} bytes through {@code latents} vectors; with
     * {@code latents} 0 the decoder alone learns to guess chunks (a language model: the floor).
     */
    static Model train(Compute compute, TransformerConfig config, int[][] documents, int chunk, int latents,
                       double inputDropout, boolean aligned, Trainer.Settings s, Consumer<String> log) {
        if (chunk + latents + 1 > config.context()) {
            throw new IllegalArgumentException("a chunk of " + chunk + " and " + latents + " latents need a context of "
                    + (chunk + latents + 1) + "; the config has " + config.context());
        }
        TensorSet params = new TensorSet()
                .add("encoder", ModelWeights.initialise(config, s.seed()))
                .add("decoder", ModelWeights.initialise(config, s.seed() + 1));
        FloatMatrix queries = TensorSet.gaussian(Math.max(latents, 1), config.dimension(), 0.02, new Random(s.seed() + 2));
        if (latents > 0) {
            params.add("queries", queries);
        }
        Model model = new Model(params.part("encoder"), params.part("decoder"), latents > 0 ? queries
                : FloatMatrix.zeros(0, config.dimension()), chunk, inputDropout >= 1, aligned && latents > 0);
        ChunkSampler sampler = new ChunkSampler(documents, chunk, s.seed());
        Random dropout = new Random(s.seed() + 3);
        PartsTraining.run(params, s, "C3 " + chunk + " bytes -> " + latents + " latents", (step, grads) -> {
            Pass pass = new Pass(compute, model, sampler.next(s.batch()));
            pass.inputDropout = inputDropout;
            pass.dropout = dropout;
            double loss = pass.forward();
            pass.backward(grads.part("encoder"), grads.part("decoder"), latents > 0 ? grads.tensor("queries") : null);
            return loss;
        }, log);
        return model;
    }

    /** The mean reconstruction loss of the chunks (nats per byte); the gradients added to the three holders. */
    static double lossAndGradients(Compute compute, Model model, int[][] chunks, ModelWeights encoderGrads,
                                   ModelWeights decoderGrads, FloatMatrix queryGrads) {
        Pass pass = new Pass(compute, model, chunks);
        double loss = pass.forward();
        pass.backward(encoderGrads, decoderGrads, queryGrads);
        return loss;
    }

    /** The mean reconstruction loss of the chunks (nats per byte). */
    static double loss(Compute compute, Model model, int[][] chunks) {
        return new Pass(compute, model, chunks).forward();
    }

    /** Reconstruction of held-out chunks, in batches. */
    static Evaluation evaluate(Compute compute, Model model, int[][] chunks) {
        double loss = 0;
        double other = 0;
        long correct = 0;
        long greedyCorrect = 0;
        long total = 0;
        for (int i = 0; i < chunks.length; i += 32) {
            int[][] part = Arrays.copyOfRange(chunks, i, Math.min(chunks.length, i + 32));
            Pass pass = new Pass(compute, model, part);
            loss += pass.forward() * part.length * model.chunk();
            int[] predictions = pass.decoderPass.rowPredictions();
            int[][] greedy = reconstruct(compute, model, part, pass.latents);
            Pass swapped = new Pass(compute, model, part);
            int rowsPerChunk = pass.latents.length / part.length;
            swapped.latents = new float[pass.latents.length];
            for (int b = 0; b < part.length; b++) {
                System.arraycopy(pass.latents, ((b + 1) % part.length) * rowsPerChunk, swapped.latents, b * rowsPerChunk,
                        rowsPerChunk);
            }
            other += swapped.decoderForward() * part.length * model.chunk();
            int width = pass.decoderBatch.width();
            for (int b = 0; b < part.length; b++) {
                for (int j = 0; j < model.chunk(); j++) {
                    correct += predictions[b * width + model.latents() + j] == part[b][j] ? 1 : 0;
                    greedyCorrect += greedy[b][j] == part[b][j] ? 1 : 0;
                }
            }
            total += (long) part.length * model.chunk();
        }
        return new Evaluation(loss / total, (double) correct / total, (double) greedyCorrect / total, other / total);
    }

    /**
     * Regenerates each chunk from its latents alone: the decoder's most likely byte at each position,
     * fed back as the next input (one full decoder pass per byte: the chunks are short).
     */
    static int[][] reconstruct(Compute compute, Model model, int[][] chunks, float[] latents) {
        int[][] out = new int[chunks.length][model.chunk()];
        for (int j = 0; j < (model.parallel() ? 1 : model.chunk()); j++) {
            Pass pass = new Pass(compute, model, out);
            pass.latents = latents;
            pass.decoderForward();
            int[] predictions = pass.decoderPass.rowPredictions();
            int width = pass.decoderBatch.width();
            for (int b = 0; b < chunks.length; b++) {
                for (int i = j; i < (model.parallel() ? model.chunk() : j + 1); i++) {
                    out[b][i] = predictions[b * width + model.latents() + i];
                }
            }
        }
        return out;
    }

    /** One encoder-decoder pass over a batch of chunks, and its backward pass. */
    private static final class Pass {
        private final Compute compute;
        private final Model model;
        private final int[][] chunks;
        private final int k;
        private final int d;
        private TrainingPass encoderPass;
        private TrainingPass decoderPass;
        private Batch decoderBatch;
        private Batch encoderBatch;
        /** Each chunk's k latent vectors, laid out as the decoder's input rows (batch x width x d). */
        private float[] latents;
        /** The share of the decoder's input bytes replaced by the placeholder (training only). */
        private double inputDropout;
        private Random dropout;

        Pass(Compute compute, Model model, int[][] chunks) {
            this.compute = compute;
            this.model = model;
            this.chunks = chunks;
            this.k = model.latents();
            this.d = model.encoder().config().dimension();
        }

        double forward() {
            int start = model.encoder().config().start();
            int n = model.chunk();
            int b = chunks.length;
            int decoderWidth = k + n;
            latents = new float[b * decoderWidth * d];
            if (k > 0) {
                int width = n + k + 1;
                int[] tokens = new int[b * width];
                int[] targets = new int[b * width];
                int[] lengths = new int[b];
                Arrays.fill(targets, -1);
                Arrays.fill(tokens, start);
                Arrays.fill(lengths, width);
                float[] queryInput = new float[b * width * d];
                for (int s = 0; s < b; s++) {
                    System.arraycopy(chunks[s], 0, tokens, s * width + 1, n);
                    System.arraycopy(model.queries().data(), 0, queryInput, (s * width + n + 1) * d, k * d);
                    for (int j = 0; model.aligned() && j < n; j++) {
                        System.arraycopy(model.queries().data(), share(j) * d, queryInput, (s * width + 1 + j) * d, d);
                    }
                }
                encoderBatch = new Batch(b, width, tokens, targets, lengths);
                encoderPass = new TrainingPass(compute, model.encoder(), encoderBatch).addToInput(queryInput);
                float[] hidden = encoderPass.forwardHidden();
                for (int s = 0; s < b; s++) {
                    System.arraycopy(hidden, (s * width + n + 1) * d, latents, s * decoderWidth * d, k * d);
                    for (int j = 0; model.aligned() && j < n; j++) {
                        System.arraycopy(hidden, (s * width + n + 1 + share(j)) * d, latents, (s * decoderWidth + k + j) * d,
                                d);
                    }
                }
            }
            return decoderForward();
        }

        double decoderForward() {
            int start = model.decoder().config().start();
            int n = model.chunk();
            int b = chunks.length;
            int width = k + n;
            int[] tokens = new int[b * width];
            int[] targets = new int[b * width];
            int[] lengths = new int[b];
            Arrays.fill(tokens, start);
            Arrays.fill(targets, -1);
            Arrays.fill(lengths, width);
            for (int s = 0; s < b; s++) {
                System.arraycopy(chunks[s], 0, tokens, s * width + k + 1, n - 1);
                System.arraycopy(chunks[s], 0, targets, s * width + k, n);
                for (int j = 0; (model.parallel() || inputDropout > 0) && j < n - 1; j++) {
                    if (model.parallel() || dropout.nextDouble() < inputDropout) {
                        tokens[s * width + k + 1 + j] = start;
                    }
                }
            }
            decoderBatch = new Batch(b, width, tokens, targets, lengths);
            decoderPass = new TrainingPass(compute, model.decoder(), decoderBatch).addToInput(latents);
            return decoderPass.forward();
        }

        /** The decoder's gradient, the latents' gradient into the encoder, and the queries'. */
        void backward(ModelWeights encoderGrads, ModelWeights decoderGrads, FloatMatrix queryGrads) {
            decoderPass.backward(decoderGrads);
            if (k == 0) {
                return;
            }
            float[] dLatents = decoderPass.inputGradient();
            int n = model.chunk();
            int b = chunks.length;
            int width = n + k + 1;
            int decoderWidth = k + n;
            float[] dHidden = new float[b * width * d];
            for (int s = 0; s < b; s++) {
                System.arraycopy(dLatents, s * decoderWidth * d, dHidden, (s * width + n + 1) * d, k * d);
                for (int j = 0; model.aligned() && j < n; j++) {
                    int from = (s * decoderWidth + k + j) * d;
                    int to = (s * width + n + 1 + share(j)) * d;
                    for (int e = 0; e < d; e++) {
                        dHidden[to + e] += dLatents[from + e];
                    }
                }
            }
            encoderPass.backwardHidden(encoderGrads, dHidden);
            float[] dInput = encoderPass.inputGradient();
            float[] dq = queryGrads.data();
            for (int s = 0; s < b; s++) {
                int o = (s * width + n + 1) * d;
                for (int i = 0; i < k * d; i++) {
                    dq[i] += dInput[o + i];
                }
                for (int j = 0; model.aligned() && j < n; j++) {
                    int from = (s * width + 1 + j) * d;
                    for (int e = 0; e < d; e++) {
                        dq[share(j) * d + e] += dInput[from + e];
                    }
                }
            }
        }

        /** The latent whose share of the chunk byte j is in the aligned layout. */
        private int share(int j) {
            return j * k / model.chunk();
        }
    }

    /** Chunks of exactly {@code length} bytes at random places, a document chosen in proportion to its length. */
    static final class ChunkSampler {
        private final List<int[]> documents = new ArrayList<>();
        private final long[] cumulative;
        private final int length;
        private final Random random;

        ChunkSampler(int[][] all, int length, long seed) {
            this.length = length;
            this.random = new Random(seed);
            long sum = 0;
            List<Long> sums = new ArrayList<>();
            for (int[] doc : all) {
                if (doc.length > length) {
                    documents.add(doc);
                    sum += doc.length - length;
                    sums.add(sum);
                }
            }
            if (documents.isEmpty()) {
                throw new IllegalArgumentException("no document is longer than a chunk of " + length);
            }
            cumulative = sums.stream().mapToLong(Long::longValue).toArray();
        }

        int[][] next(int count) {
            int[][] out = new int[count][];
            for (int i = 0; i < count; i++) {
                long r = (long) (random.nextDouble() * cumulative[cumulative.length - 1]);
                int k = Arrays.binarySearch(cumulative, r + 1);
                k = k >= 0 ? k : -k - 1;
                int[] doc = documents.get(k);
                int offset = random.nextInt(doc.length - length);
                // skip the document's own start token so chunks are text only
                offset = Math.max(offset, 1);
                out[i] = Arrays.copyOfRange(doc, offset, offset + length);
            }
            return out;
        }
    }
}
