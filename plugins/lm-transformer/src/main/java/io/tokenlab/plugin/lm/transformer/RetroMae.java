package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Random;
import java.util.Set;
import java.util.function.Consumer;
import java.util.regex.Pattern;

/**
 * RetroMAE v2 (Liu and Shao 2022, "RetroMAE v2: Duplex Masked Auto-Encoder For Pre-Training
 * Retrieval-Oriented Language Models", DupMAE): pre-training an encoder whose sentence embedding is
 * made for retrieval, by two decoding tasks that can only be solved from what the encoder puts into
 * its outputs, beside the encoder's own masked language modelling.
 * <ul>
 * <li>Encoder: a transformer with attention both ways over a lightly masked input (a share of the
 * bytes after position 0 replaced by the mask id), trained by MLM on the masked positions through
 * its tied output embedding. Position 0 holds the start token; its output row is the [CLS]
 * embedding.</li>
 * <li>Duplex objective 1, [CLS]-conditioned reconstruction (RetroMAE's): a one-layer decoder with
 * attention both ways reads a heavily masked copy of the same input with the [CLS] vector added to
 * its input, and predicts the masked bytes. With most of the text hidden from it, the decoder
 * leans on [CLS], so the gradient that reaches the encoder through that one vector teaches the
 * encoder to summarise the whole input in it. [CLS] is added at position 0 only (RetroMAE's basic
 * decoding) or at every position (see {@link Injection}: RetroMAE's enhanced decoding puts it in
 * every query row; one stream with it in every row is the nearest a single pass comes). The
 * decoder has its own embeddings (the paper shares BERT's embedding layer; here the encoder's table
 * stays the encoder's, so the MLM-only baseline and the duplex encoder have the same parameters)
 * and is dropped after pre-training.</li>
 * <li>Duplex objective 2, bag of words (DupMAE's): every ordinary (non-[CLS]) output row is
 * projected by the tied output embedding to vocabulary logits, passed through ReLU and max-pooled
 * over the positions, {@code r[v] = max(0, max_i h_i . e_v)}; the softmax of {@code r} must predict
 * every distinct token of the original (unmasked) input: the loss is the mean over those distinct
 * tokens of {@code -log softmax(r)[t]} (the paper's loss runs over the input's tokens; a mean over the
 * distinct ones keeps the scale independent of the length and counts each token once, as a bag
 * does). This trains the ordinary rows to carry the input's lexical content, which the [CLS] row
 * no longer has to.</li>
 * </ul>
 * The three losses are added with weight 1 each, as in the paper. For retrieval the paper joins the
 * two embeddings; here {@link Representation#CLS_AND_BAG} concatenates the L2-normalised [CLS]
 * vector and the L2-normalised pooled vector {@code r} (of the unmasked input), so a cosine of two
 * such vectors is the mean of the two cosines. Every masked position holds the mask id (no 80/10/10
 * replacement); the share masked is exact per sequence (rounded, at least one), so every batch has
 * targets.
 */
final class RetroMae {
    static final String ENCODER = "encoder";
    static final String DECODER = "decoder";

    /** Which losses a step trains on. */
    record Objectives(boolean maskedLanguageModel, boolean reconstruction, boolean bagOfWords) {
        /** RetroMAE v2: MLM plus the two duplex objectives. */
        static final Objectives DUPLEX = new Objectives(true, true, true);
        /** The baseline: the same encoder trained by MLM alone. */
        static final Objectives MLM_ONLY = new Objectives(true, false, false);
    }

    /** The mask id (a token that text never encodes to) and the shares masked for encoder and decoder. */
    record Masking(int maskId, double encoderRate, double decoderRate) {
        Masking {
            if (!(encoderRate > 0 && encoderRate < 1 && decoderRate > 0 && decoderRate < 1)) {
                throw new IllegalArgumentException("mask rates " + encoderRate + ", " + decoderRate
                        + " must lie in (0, 1)");
            }
        }
    }

    /**
     * One step's input. {@code encoder}: the lightly masked sequences, targets the original ids at the
     * masked positions (-1 elsewhere); {@code decoder}: the heavily masked copies likewise;
     * {@code bag}: each sequence's distinct original ids after position 0.
     */
    record Example(Batch encoder, Batch decoder, int[][] bag) {
    }

    /** Mean losses of one step (nats): MLM, [CLS]-conditioned reconstruction, bag of words; 0 when not trained. */
    record Losses(double maskedLanguageModel, double reconstruction, double bagOfWords) {
        double total() {
            return maskedLanguageModel + reconstruction + bagOfWords;
        }
    }

    /** How a sequence becomes one vector for retrieval. */
    enum Representation {
        /** The [CLS] (position 0) output row. */
        CLS,
        /** The mean of all output rows. */
        MEAN,
        /** The ReLU-max-pooled vocabulary logits of the ordinary rows (the bag-of-words vector). */
        BAG,
        /** The normalised [CLS] row joined with the normalised bag-of-words vector (RetroMAE v2's). */
        CLS_AND_BAG
    }

    /** Recall at 1 and 5 and the mean reciprocal rank of each query's own passage among all passages. */
    record Retrieval(double recallAt1, double recallAt5, double meanReciprocalRank) {
    }

    /** A section title of a reStructuredText file and the first paragraph under it. */
    record TitledParagraph(String title, String paragraph) {
    }

    /**
     * Where the decoder reads the [CLS] vector. At position 0 only, the decoder must first learn to
     * attend to that position for content before [CLS] helps it, and the encoder gets a useful
     * gradient through [CLS] only after that: on linux-doc bytes at d = 32 this happens within 800
     * steps for some seeds and not by 1200 for others. Added at every position, each masked
     * position reads [CLS] in its own residual stream, and the decoder came to lean on it in every
     * run tried (a gap of about 0.55 nats per masked byte against another text's [CLS]).
     */
    enum Injection {
        /** Added to the decoder's position 0 only (RetroMAE's basic decoding). */
        FIRST_POSITION,
        /** Added to every position of the decoder (as RetroMAE's enhanced decoding puts it in every query row). */
        EVERY_POSITION
    }

    private final Compute compute;
    private final Masking masking;
    private final Injection injection;
    final TensorSet params;

    private RetroMae(Compute compute, Masking masking, Injection injection, TensorSet params) {
        this.compute = compute;
        this.masking = masking;
        this.injection = injection;
        this.params = params;
    }

    /** A fresh model: the encoder as configured, a decoder of {@code decoderLayers} of the same width. */
    static RetroMae initialise(Compute compute, TransformerConfig encoder, int decoderLayers, Masking masking,
                               Injection injection, long seed) {
        if (masking.maskId() < 0 || masking.maskId() >= encoder.vocabulary() || masking.maskId() == encoder.start()) {
            throw new IllegalArgumentException("mask id " + masking.maskId()
                    + " must be a vocabulary id other than the start " + encoder.start());
        }
        TransformerConfig decoder = new TransformerConfig(encoder.vocabulary(), encoder.dimension(), decoderLayers,
                encoder.heads(), encoder.context(), encoder.hidden(), encoder.normEpsilon(), encoder.start());
        TensorSet set = new TensorSet().add(ENCODER, ModelWeights.initialise(encoder, seed))
                .add(DECODER, ModelWeights.initialise(decoder, seed + 1));
        return new RetroMae(compute, masking, injection, set);
    }

    ModelWeights encoder() {
        return params.part(ENCODER);
    }

    ModelWeights decoder() {
        return params.part(DECODER);
    }

    /**
     * Masks {@code sequences} (each led by the start token, at most the context long) for one step:
     * independently for the encoder and the decoder, position 0 never.
     */
    Example mask(int[][] sequences, Random random) {
        int width = encoder().config().context();
        int size = sequences.length;
        int[] lengths = new int[size];
        int[] encoderTokens = new int[size * width];
        int[] encoderTargets = new int[size * width];
        int[] decoderTokens = new int[size * width];
        int[] decoderTargets = new int[size * width];
        Arrays.fill(encoderTargets, -1);
        Arrays.fill(decoderTargets, -1);
        int[][] bag = new int[size][];
        for (int s = 0; s < size; s++) {
            int[] w = sequences[s];
            if (w.length < 2 || w.length > width) {
                throw new IllegalArgumentException("sequence " + s + " has " + w.length + " ids; accepted 2.." + width);
            }
            lengths[s] = w.length;
            System.arraycopy(w, 0, encoderTokens, s * width, w.length);
            System.arraycopy(w, 0, decoderTokens, s * width, w.length);
            maskShare(w, masking.encoderRate(), random, encoderTokens, encoderTargets, s * width);
            maskShare(w, masking.decoderRate(), random, decoderTokens, decoderTargets, s * width);
            Set<Integer> distinct = new LinkedHashSet<>();
            for (int i = 1; i < w.length; i++) {
                distinct.add(w[i]);
            }
            bag[s] = distinct.stream().mapToInt(Integer::intValue).toArray();
        }
        return new Example(new Batch(size, width, encoderTokens, encoderTargets, lengths.clone()),
                new Batch(size, width, decoderTokens, decoderTargets, lengths.clone()), bag);
    }

    private void maskShare(int[] w, double rate, Random random, int[] tokens, int[] targets, int row0) {
        int[] order = new int[w.length - 1];
        for (int i = 0; i < order.length; i++) {
            order[i] = i + 1;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
        int count = Math.max(1, (int) Math.round(rate * order.length));
        for (int k = 0; k < count; k++) {
            int i = order[k];
            tokens[row0 + i] = masking.maskId();
            targets[row0 + i] = w[i];
        }
    }

    /**
     * The losses of {@code example} under {@code objectives}; with {@code grads} (a {@link TensorSet#zerosLike}
     * of the parameters) their sum's gradient is added to it, the reconstruction's reaching the
     * encoder through the [CLS] rows.
     */
    Losses losses(Example example, Objectives objectives, TensorSet grads) {
        ModelWeights enc = encoder();
        TransformerConfig c = enc.config();
        int d = c.dimension();
        int v = c.vocabulary();
        Batch batch = example.encoder();
        int width = batch.width();
        int n = batch.size() * width;
        TrainingPass encoderPass = new TrainingPass(compute, enc, batch).attendBothWays();
        float[] hidden = encoderPass.forwardHidden();
        float[] dHidden = new float[n * d];
        double mlm = 0;
        double bag = 0;
        double reconstruction = 0;
        if (objectives.maskedLanguageModel() || objectives.bagOfWords()) {
            float[] logits = outputLogits(hidden, n);
            float[] dLogits = new float[n * v];
            if (objectives.maskedLanguageModel()) {
                mlm = maskedLanguageModel(batch, logits, dLogits);
            }
            if (objectives.bagOfWords()) {
                bag = bagOfWords(batch, example.bag(), logits, dLogits);
            }
            if (grads != null) {
                // tied output: logits = hidden E^T, so E gets dLogits^T hidden and hidden gets dLogits E
                compute.gemm(true, false, 1f, new FloatMatrix(n, v, dLogits), new FloatMatrix(n, d, hidden), 1f,
                        grads.part(ENCODER).embeddings);
                compute.gemm(false, false, 1f, new FloatMatrix(n, v, dLogits), enc.embeddings, 1f,
                        new FloatMatrix(n, d, dHidden));
            }
        }
        if (objectives.reconstruction()) {
            TrainingPass decoderPass = decoderPass(example.decoder(), clsRows(hidden, batch, false));
            reconstruction = decoderPass.forward();
            if (grads != null) {
                decoderPass.backward(grads.part(DECODER));
                float[] dAdded = decoderPass.inputGradient();
                for (int s = 0; s < batch.size(); s++) {
                    int o = s * width * d;
                    int rows = injection == Injection.EVERY_POSITION ? batch.lengths()[s] : 1;
                    for (int i = 0; i < rows; i++) {
                        for (int j = 0; j < d; j++) {
                            dHidden[o + j] += dAdded[o + i * d + j];
                        }
                    }
                }
            }
        }
        if (grads != null) {
            encoderPass.backwardHidden(grads.part(ENCODER), dHidden);
        }
        return new Losses(mlm, reconstruction, bag);
    }

    /**
     * The decoder's mean reconstruction loss on {@code example} with the true [CLS] vectors, or with
     * each sequence given the [CLS] of the sequence half the batch away (one of other text, at the
     * same scale, so not a vector the decoder has never seen): the gap is what the [CLS] vector carries.
     */
    double reconstructionLoss(Example example, boolean shuffled) {
        Batch batch = example.encoder();
        float[] hidden = new TrainingPass(compute, encoder(), batch).attendBothWays().forwardHidden();
        return decoderPass(example.decoder(), clsRows(hidden, batch, shuffled)).forward();
    }

    /** The bag-of-words loss of {@code example} (whatever the model was trained on), without gradients. */
    double bagOfWordsLoss(Example example) {
        return losses(example, new Objectives(false, false, true), null).bagOfWords();
    }

    private TrainingPass decoderPass(Batch decoderBatch, float[] added) {
        return new TrainingPass(compute, decoder(), decoderBatch).attendBothWays().addToInput(added);
    }

    /**
     * An n x d input addition holding each sequence's [CLS] row (or another's) at its position 0, or
     * at all its positions ({@link Injection#EVERY_POSITION}).
     */
    private float[] clsRows(float[] hidden, Batch batch, boolean shuffled) {
        int d = encoder().config().dimension();
        int width = batch.width();
        float[] added = new float[batch.size() * width * d];
        for (int s = 0; s < batch.size(); s++) {
            int from = shuffled ? (s + batch.size() / 2) % batch.size() : s;
            int rows = injection == Injection.EVERY_POSITION ? batch.lengths()[s] : 1;
            for (int i = 0; i < rows; i++) {
                System.arraycopy(hidden, from * width * d, added, (s * width + i) * d, d);
            }
        }
        return added;
    }

    private float[] outputLogits(float[] hidden, int rows) {
        ModelWeights enc = encoder();
        int d = enc.config().dimension();
        FloatMatrix logits = FloatMatrix.zeros(rows, enc.config().vocabulary());
        compute.gemm(false, true, 1f, new FloatMatrix(rows, d, hidden), enc.embeddings, 0f, logits);
        return logits.data();
    }

    /** Mean negative log-likelihood of the masked ids; their logit gradient goes into {@code dLogits}. */
    private double maskedLanguageModel(Batch batch, float[] logits, float[] dLogits) {
        int v = encoder().config().vocabulary();
        int[] targets = batch.targets();
        int count = 0;
        for (int t : targets) {
            count += t >= 0 ? 1 : 0;
        }
        double loss = 0;
        for (int i = 0; i < targets.length; i++) {
            if (targets[i] < 0) {
                continue;
            }
            float[] p = softmax(logits, i * v, v);
            loss -= Math.log(Math.max(p[targets[i]], Float.MIN_VALUE));
            for (int j = 0; j < v; j++) {
                dLogits[i * v + j] += (p[j] - (j == targets[i] ? 1f : 0f)) / count;
            }
        }
        return loss / count;
    }

    /**
     * The bag-of-words loss (see the class comment), averaged over the sequences; each pooled entry's
     * gradient goes to the logit it was taken from (none where ReLU cut it to 0).
     */
    private double bagOfWords(Batch batch, int[][] bag, float[] logits, float[] dLogits) {
        int v = encoder().config().vocabulary();
        int width = batch.width();
        double loss = 0;
        for (int s = 0; s < batch.size(); s++) {
            int[] from = new int[v];
            float[] pooled = pool(logits, s * width, batch.lengths()[s], v, from);
            float[] p = softmax(pooled, 0, v);
            int[] tokens = bag[s];
            float[] g = p.clone();
            for (int t : tokens) {
                loss -= Math.log(Math.max(p[t], Float.MIN_VALUE)) / tokens.length / batch.size();
                g[t] -= 1f / tokens.length;
            }
            for (int j = 0; j < v; j++) {
                if (from[j] >= 0) {
                    dLogits[from[j] * v + j] += g[j] / batch.size();
                }
            }
        }
        return loss;
    }

    /**
     * {@code max(0, max_i logits[i][j])} over rows {@code row0 + 1 .. row0 + length - 1} (position 0,
     * the [CLS] row, left out); {@code from[j]} gets the row the maximum came from, -1 where it is 0.
     */
    private static float[] pool(float[] logits, int row0, int length, int v, int[] from) {
        float[] pooled = new float[v];
        Arrays.fill(from, -1);
        for (int i = row0 + 1; i < row0 + length; i++) {
            for (int j = 0; j < v; j++) {
                float z = logits[i * v + j];
                if (z > pooled[j]) {
                    pooled[j] = z;
                    from[j] = i;
                }
            }
        }
        return pooled;
    }

    private static float[] softmax(float[] x, int offset, int v) {
        float max = Float.NEGATIVE_INFINITY;
        for (int j = 0; j < v; j++) {
            max = Math.max(max, x[offset + j]);
        }
        double sum = 0;
        float[] p = new float[v];
        for (int j = 0; j < v; j++) {
            p[j] = (float) Math.exp(x[offset + j] - max);
            sum += p[j];
        }
        for (int j = 0; j < v; j++) {
            p[j] /= (float) sum;
        }
        return p;
    }

    /** The outcome of pre-training: first and last (smoothed) losses by objective. */
    record Pretraining(Losses first, Losses last, double seconds) {
    }

    /**
     * Pre-trains on random windows of {@code documents} (each led by the start token, the context
     * long at most) under {@code objectives}: AdamW over encoder and decoder together, one gradient
     * clip over all, the warm-up plus cosine schedule. The seed fixes the windows and the masks, so
     * the duplex model and the baseline see the same text masked the same way.
     */
    Pretraining train(int[][] documents, Objectives objectives, Trainer.Settings s, Consumer<String> log) {
        TransformerConfig c = encoder().config();
        TensorSet grads = params.zerosLike();
        AdamW optimizer = new AdamW(params.tensors(), 0.9f, 0.95f, 1e-8f, (float) s.weightDecay());
        LearningRate schedule = new LearningRate(s.learningRate(), s.minimumLearningRate(), s.warmup(), s.steps());
        Trainer.WindowSampler sampler = new Trainer.WindowSampler(documents, c.context(), c.start(), s.seed());
        Random random = new Random(s.seed() * 7_919L + 13);
        long begin = System.nanoTime();
        Losses first = null;
        double[] smoothed = new double[3];
        for (int step = 0; step < s.steps(); step++) {
            Example example = mask(sampler.next(s.batch()), random);
            grads.fill(0f);
            Losses l = losses(example, objectives, grads);
            double norm = AdamW.clip(grads.tensors(), s.clipNorm());
            float lr = (float) schedule.at(step);
            optimizer.step(params.tensors(), grads.tensors(), lr);
            double[] now = {l.maskedLanguageModel(), l.reconstruction(), l.bagOfWords()};
            for (int k = 0; k < 3; k++) {
                smoothed[k] = step == 0 ? now[k] : 0.95 * smoothed[k] + 0.05 * now[k];
            }
            first = step == 0 ? l : first;
            if (step % Math.max(1, s.steps() / 10) == 0 || step == s.steps() - 1) {
                log.accept(String.format(Locale.ROOT,
                        "step %d/%d mlm %.3f reconstruction %.3f bag %.3f grad norm %.2f, %.1f s", step + 1, s.steps(),
                        smoothed[0], smoothed[1], smoothed[2], norm, (System.nanoTime() - begin) / 1e9));
            }
        }
        return new Pretraining(first, new Losses(smoothed[0], smoothed[1], smoothed[2]),
                (System.nanoTime() - begin) / 1e9);
    }

    /** One vector per sequence (each led by the start token), from the encoder's unmasked output. */
    float[][] embed(int[][] sequences, Representation representation) {
        ModelWeights enc = encoder();
        TransformerConfig c = enc.config();
        int d = c.dimension();
        int v = c.vocabulary();
        float[][] out = new float[sequences.length][];
        int chunk = 32;
        for (int k = 0; k < sequences.length; k += chunk) {
            int size = Math.min(chunk, sequences.length - k);
            int width = 0;
            for (int s = 0; s < size; s++) {
                width = Math.max(width, sequences[k + s].length);
            }
            int[] tokens = new int[size * width];
            int[] targets = new int[size * width];
            int[] lengths = new int[size];
            Arrays.fill(targets, -1);
            for (int s = 0; s < size; s++) {
                System.arraycopy(sequences[k + s], 0, tokens, s * width, sequences[k + s].length);
                lengths[s] = sequences[k + s].length;
            }
            Batch batch = new Batch(size, width, tokens, targets, lengths);
            float[] hidden = new TrainingPass(compute, enc, batch).attendBothWays().forwardHidden();
            float[] logits = representation == Representation.BAG || representation == Representation.CLS_AND_BAG
                    ? outputLogits(hidden, size * width) : null;
            for (int s = 0; s < size; s++) {
                int row0 = s * width;
                float[] cls = Arrays.copyOfRange(hidden, row0 * d, row0 * d + d);
                out[k + s] = switch (representation) {
                    case CLS -> cls;
                    case MEAN -> {
                        float[] mean = new float[d];
                        for (int i = 0; i < lengths[s]; i++) {
                            for (int j = 0; j < d; j++) {
                                mean[j] += hidden[(row0 + i) * d + j] / lengths[s];
                            }
                        }
                        yield mean;
                    }
                    case BAG -> pool(logits, row0, lengths[s], v, new int[v]);
                    case CLS_AND_BAG -> {
                        float[] joined = new float[d + v];
                        float[] bag = normalised(pool(logits, row0, lengths[s], v, new int[v]));
                        System.arraycopy(normalised(cls), 0, joined, 0, d);
                        System.arraycopy(bag, 0, joined, d, v);
                        yield joined;
                    }
                };
            }
        }
        return out;
    }

    private static float[] normalised(float[] x) {
        double sum = 0;
        for (float f : x) {
            sum += (double) f * f;
        }
        float inv = sum > 0 ? (float) (1 / Math.sqrt(sum)) : 0f;
        float[] out = new float[x.length];
        for (int i = 0; i < x.length; i++) {
            out[i] = x[i] * inv;
        }
        return out;
    }

    /**
     * Ranks all passages for every query by cosine similarity; query i's relevant passage is passage
     * i. A tie counts against the query (its passage ranks below every passage scoring as high).
     */
    static Retrieval retrieve(float[][] queries, float[][] passages) {
        float[][] p = new float[passages.length][];
        for (int j = 0; j < passages.length; j++) {
            p[j] = normalised(passages[j]);
        }
        double top1 = 0;
        double top5 = 0;
        double reciprocal = 0;
        for (int i = 0; i < queries.length; i++) {
            float[] q = normalised(queries[i]);
            double own = dot(q, p[i]);
            int rank = 1;
            for (int j = 0; j < p.length; j++) {
                rank += j != i && dot(q, p[j]) >= own ? 1 : 0;
            }
            top1 += rank == 1 ? 1 : 0;
            top5 += rank <= 5 ? 1 : 0;
            reciprocal += 1.0 / rank;
        }
        return new Retrieval(top1 / queries.length, top5 / queries.length, reciprocal / queries.length);
    }

    private static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    private static final Pattern UNDERLINE = Pattern.compile("([=\\-~^\"'`#*+:.])\\1{2,}\\s*");

    /**
     * Every section of a reStructuredText file whose title (a line underlined by a run of one
     * punctuation character at least as long as it) is followed, before the next title, by a
     * paragraph of prose: lines up to a blank line, the first starting with a letter (directives,
     * field lists, lists, tables and indented blocks are skipped). The paragraph's lines are joined
     * by single spaces.
     */
    static List<TitledParagraph> titledParagraphs(String text) {
        String[] lines = text.split("\r?\n", -1);
        List<TitledParagraph> out = new ArrayList<>();
        for (int i = 0; i + 1 < lines.length; i++) {
            String title = lines[i].strip();
            if (!isTitle(lines, i)) {
                continue;
            }
            int k = i + 2;
            if (k < lines.length && UNDERLINE.matcher(lines[k]).matches()) {
                k++;  // the overline's closing line
            }
            String paragraph = null;
            while (k < lines.length && paragraph == null) {
                if (k + 1 < lines.length && isTitle(lines, k)) {
                    break;
                }
                String line = lines[k];
                if (line.isBlank()) {
                    k++;
                    continue;
                }
                StringBuilder block = new StringBuilder();
                int first = k;
                while (k < lines.length && !lines[k].isBlank()) {
                    block.append(block.isEmpty() ? "" : " ").append(lines[k].strip());
                    k++;
                }
                boolean prose = Character.isLetter(line.charAt(0)) && !lines[first].endsWith("::")
                        && block.length() >= 40 && !(first + 1 < lines.length && isTitle(lines, first));
                paragraph = prose ? block.toString() : null;
            }
            if (paragraph != null) {
                out.add(new TitledParagraph(title, paragraph));
            }
        }
        return out;
    }

    private static boolean isTitle(String[] lines, int i) {
        String title = lines[i].strip();
        return i + 1 < lines.length && title.length() >= 3 && !Character.isWhitespace(lines[i].charAt(0))
                && Character.isLetterOrDigit(title.charAt(0)) && UNDERLINE.matcher(lines[i + 1]).matches()
                && lines[i + 1].strip().length() >= title.length();
    }
}
