package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Arrays;
import java.util.Random;

/**
 * A small learned 1-D image tokenizer of the TiTok / FlexTok / One-D-Piece kind, on the transformer
 * blocks of this module, with the two additions of ReTok (arXiv 2601.01535).
 *
 * <p>Shape. A square image (planar channels, values in [0, 1]) is cut into patches; a linear patch
 * embedding puts each patch into the encoder, which attends both ways over the patches and
 * {@code slots} learned latent queries (the latent positions' learned position embeddings: every
 * position reads the same token id, and the patches come in through {@link TrainingPass#addToInput}).
 * The encoder's outputs at the latent positions, projected to {@code latentWidth} values and, with
 * {@code levels > 0}, finite-scalar-quantised (tanh bound, rounding to {@code levels} values per
 * dimension, straight-through gradient), are the 1-D tokens. The decoder attends both ways over the
 * latent slots (each token projected back to the model width) and one learned query per patch; a
 * linear layer turns each query's output into the patch's pixels; the loss is the pixel MSE. The
 * decoder's input gradient carries the loss back through the tokens into the encoder.
 *
 * <p>Nested dropout (FlexTok, One-D-Piece): each training image keeps only its first k tokens, k drawn
 * uniformly from 1..slots; the later slots hold a learned mask vector. So every prefix decodes, and a
 * token's position says how often it is trained as the last one kept: the first tokens carry the most.
 *
 * <p>ReTok's redundant token padding: train with {@code slots = tokens + padding}, deploy the first
 * {@code tokens}. Without padding the deployed tail (position {@code tokens}) is kept only when k is
 * drawn as its maximum; with M padding slots it is kept whenever k reaches it, in (M + 1) / (K + M)
 * of the images instead of 1 / K, so the tail positions get more training and reconstruction gain
 * spreads more evenly over the deployed positions.
 *
 * <p>ReTok's hierarchical semantic regularisation: the mean of the first j tokens, for j = 1..R, goes
 * through a linear head and is pulled (MSE) toward a semantic target of the image, with weight
 * {@code semanticWeight * (R + 1 - j) / R}, decreasing toward the tail. ReTok's targets are a vision
 * foundation model's features; none is available here, so the caller gives the target, and the tests
 * and report give the leading PCA coefficients of the image (standardised) on a basis fitted to the
 * training photos: a stand-in for semantic features, linear and low-frequency, not a semantic model.
 */
final class ImageTokenizer1d {
    /**
     * The tokenizer's shape: images {@code side x side} of {@code channels} cut into patches of
     * {@code patch}; {@code tokens} deployed and {@code padding} extra training slots; transformer
     * width, depth, heads and MLP width (encoder and decoder alike); values per token and FSQ levels
     * per value (odd; 0 = continuous tokens).
     */
    record Shape(int side, int channels, int patch, int tokens, int padding, int dimension, int layers, int heads,
                 int hidden, int latentWidth, int levels) {
        Shape {
            if (side % patch != 0 || patch < 1 || channels < 1 || tokens < 1 || padding < 0 || latentWidth < 1) {
                throw new IllegalArgumentException("side " + side + " must be whole patches of " + patch
                        + "; tokens, channels and latent width at least 1, padding at least 0");
            }
            if (levels != 0 && (levels < 3 || levels % 2 == 0)) {
                throw new IllegalArgumentException("FSQ levels " + levels + " must be odd and at least 3 (or 0)");
            }
        }

        int patches() {
            return (side / patch) * (side / patch);
        }

        int patchValues() {
            return channels * patch * patch;
        }

        int slots() {
            return tokens + padding;
        }

        int imageValues() {
            return channels * side * side;
        }

        /** Bits of one token as a raw id: ceil(log2(levels^latentWidth)), or 32 per value if continuous. */
        int bitsPerToken() {
            if (levels == 0) {
                return 32 * latentWidth;
            }
            long alphabet = 1;
            for (int i = 0; i < latentWidth; i++) {
                alphabet *= levels;
            }
            return 64 - Long.numberOfLeadingZeros(alphabet - 1);
        }

        TransformerConfig encoder() {
            return new TransformerConfig(2, dimension, layers, heads, patches() + slots(), hidden, 1e-5f, 0);
        }

        TransformerConfig decoder() {
            return new TransformerConfig(2, dimension, layers, heads, slots() + patches(), hidden, 1e-5f, 0);
        }

        /** The same shape trained with another number of padding slots. */
        Shape withPadding(int extra) {
            return new Shape(side, channels, patch, tokens, extra, dimension, layers, heads, hidden, latentWidth,
                    levels);
        }
    }

    /**
     * How to train: the usual schedule and optimiser settings; {@code nestedDropout} false keeps every
     * slot (the control without the mechanism); semantic weight and the R prefixes it covers (0: off).
     */
    record Training(int steps, int batch, double learningRate, double minimumLearningRate, int warmup,
                    double weightDecay, double clipNorm, long seed, boolean nestedDropout, double semanticWeight,
                    int semanticPrefixes) {
    }

    /** Training images: the {@code count} images (planar channels, values in [0, 1]) of one step. */
    interface Images {
        float[][] draw(int step, int count);
    }

    /** A semantic target per image (the regulariser's). */
    interface Targets {
        float[] of(float[] image);
    }

    /** The losses of one batch: pixel MSE and the semantic term (already weighted). */
    record Loss(double reconstruction, double semantic) {
        double total() {
            return reconstruction + semantic;
        }
    }

    private final Shape shape;
    private final int semanticDimension;
    final TensorSet parameters;

    private ImageTokenizer1d(Shape shape, int semanticDimension, TensorSet parameters) {
        this.shape = shape;
        this.semanticDimension = semanticDimension;
        this.parameters = parameters;
    }

    /**
     * Fresh weights: the transformers as GPT-2 starts them, the linear maps at N(0, 1 / fan-in) but the
     * pixel head at a tenth of that with a bias of mid-grey, so training starts near the grey image
     * instead of pixels of unit variance.
     */
    static ImageTokenizer1d initialise(Shape s, int semanticDimension, long seed) {
        Random random = new Random(seed);
        int d = s.dimension();
        TensorSet t = new TensorSet()
                .add("encoder", ModelWeights.initialise(s.encoder(), seed * 31 + 1))
                .add("decoder", ModelWeights.initialise(s.decoder(), seed * 31 + 2))
                .add("patch_in.weight", TensorSet.gaussian(d, s.patchValues(), 1 / Math.sqrt(s.patchValues()), random))
                .add("to_latent.weight", TensorSet.gaussian(s.latentWidth(), d, 1 / Math.sqrt(d), random))
                .add("to_latent.bias", FloatMatrix.zeros(1, s.latentWidth()))
                .add("from_latent.weight", TensorSet.gaussian(d, s.latentWidth(), 1 / Math.sqrt(s.latentWidth()),
                        random))
                .add("mask", TensorSet.gaussian(1, d, 0.02, random))
                .add("to_pixels.weight", TensorSet.gaussian(s.patchValues(), d, 0.1 / Math.sqrt(d), random))
                .add("to_pixels.bias", new FloatMatrix(1, s.patchValues(), filled(s.patchValues(), 0.5f)));
        if (semanticDimension > 0) {
            t.add("semantic_head.weight", TensorSet.gaussian(semanticDimension, s.latentWidth(),
                    1 / Math.sqrt(s.latentWidth()), random));
        }
        return new ImageTokenizer1d(s, semanticDimension, t);
    }

    Shape shape() {
        return shape;
    }

    private static float[] filled(int n, float v) {
        float[] a = new float[n];
        Arrays.fill(a, v);
        return a;
    }

    /** What the encoder gives: its pass (for the backward), hidden states, pre-quantisation values and tokens. */
    private record Encoded(TrainingPass pass, float[] hidden, float[] raw, float[] tokens, float[][] patches) {
    }

    private Encoded encode(Compute compute, float[][] images) {
        Shape s = shape;
        int b = images.length;
        int width = s.patches() + s.slots();
        int d = s.dimension();
        float[][] patches = new float[b][];
        float[] added = new float[b * width * d];
        FloatMatrix in = parameters.tensor("patch_in.weight");
        for (int i = 0; i < b; i++) {
            patches[i] = patchesOf(images[i]);
            float[] e = new float[s.patches() * d];
            Kernels.linear(compute, centred(patches[i]), s.patches(), s.patchValues(), in, e);
            System.arraycopy(e, 0, added, i * width * d, e.length);
        }
        TrainingPass pass = new TrainingPass(compute, parameters.part("encoder"), sameTokens(b, width))
                .attendBothWays().addToInput(added);
        float[] hidden = pass.forwardHidden();
        int q = s.latentWidth();
        float[] latentRows = new float[b * s.slots() * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(hidden, (i * width + s.patches()) * d, latentRows, i * s.slots() * d, s.slots() * d);
        }
        float[] raw = new float[b * s.slots() * q];
        Kernels.linear(compute, latentRows, b * s.slots(), d, parameters.tensor("to_latent.weight"), raw);
        float[] bias = parameters.tensor("to_latent.bias").data();
        float[] tokens = new float[raw.length];
        for (int i = 0; i < raw.length; i++) {
            raw[i] += bias[i % q];
            tokens[i] = quantise(raw[i]);
        }
        return new Encoded(pass, hidden, raw, tokens, patches);
    }

    /** FSQ of one value: tanh bound to (-1, 1), then the nearest of {@code levels} equally spaced values. */
    private float quantise(float u) {
        if (shape.levels() == 0) {
            return u;
        }
        float half = (shape.levels() - 1) / 2f;
        return Math.round((float) Math.tanh(u) * half) / half;
    }

    /** The straight-through derivative of {@link #quantise}: the bound's, the rounding's taken as 1. */
    private float quantiseDerivative(float u) {
        if (shape.levels() == 0) {
            return 1f;
        }
        float t = (float) Math.tanh(u);
        return 1 - t * t;
    }

    private record Decoded(TrainingPass pass, float[] hidden, float[] pixels) {
    }

    /** Decodes token rows (b x slots x latentWidth), each image keeping its first {@code keep[i]}. */
    private Decoded decode(Compute compute, float[] tokens, int[] keep) {
        Shape s = shape;
        int b = keep.length;
        int width = s.slots() + s.patches();
        int d = s.dimension();
        int q = s.latentWidth();
        float[] slotRows = new float[b * s.slots() * d];
        Kernels.linear(compute, tokens, b * s.slots(), q, parameters.tensor("from_latent.weight"), slotRows);
        float[] mask = parameters.tensor("mask").data();
        float[] added = new float[b * width * d];
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < s.slots(); t++) {
                float[] source = t < keep[i] ? slotRows : mask;
                int from = t < keep[i] ? (i * s.slots() + t) * d : 0;
                System.arraycopy(source, from, added, (i * width + t) * d, d);
            }
        }
        TrainingPass pass = new TrainingPass(compute, parameters.part("decoder"), sameTokens(b, width))
                .attendBothWays().addToInput(added);
        float[] hidden = pass.forwardHidden();
        float[] queryRows = new float[b * s.patches() * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(hidden, (i * width + s.slots()) * d, queryRows, i * s.patches() * d, s.patches() * d);
        }
        int pv = s.patchValues();
        float[] pixels = new float[b * s.patches() * pv];
        Kernels.linear(compute, queryRows, b * s.patches(), d, parameters.tensor("to_pixels.weight"), pixels);
        float[] bias = parameters.tensor("to_pixels.bias").data();
        for (int i = 0; i < pixels.length; i++) {
            pixels[i] += bias[i % pv];
        }
        return new Decoded(pass, hidden, pixels);
    }

    /**
     * The loss of one batch with each image keeping its first {@code keep[i]} tokens, and with
     * {@code grads} its gradient added there. {@code targets} (one per image) and {@code weight}
     * switch the semantic term on.
     */
    Loss lossAndGradients(Compute compute, float[][] images, int[] keep, float[][] targets, double weight,
                          int prefixes, TensorSet grads) {
        Shape s = shape;
        int b = images.length;
        int d = s.dimension();
        int q = s.latentWidth();
        int pv = s.patchValues();
        Encoded enc = encode(compute, images);
        Decoded dec = decode(compute, enc.tokens(), keep);
        int values = b * s.patches() * pv;
        double sum = 0;
        float[] dPixels = new float[values];
        for (int i = 0; i < b; i++) {
            for (int j = 0; j < s.patches() * pv; j++) {
                int o = i * s.patches() * pv + j;
                double e = dec.pixels()[o] - enc.patches()[i][j];
                sum += e * e;
                dPixels[o] = (float) (2 * e / values);
            }
        }
        double reconstruction = sum / values;
        // the semantic term on the means of the first j tokens, j = 1..R, weight falling toward the tail
        boolean semantic = targets != null && weight > 0 && prefixes > 0;
        double semanticLoss = 0;
        float[] dTokens = new float[b * s.slots() * q];
        if (semantic) {
            semanticLoss = semanticTerm(enc.tokens(), targets, weight, Math.min(prefixes, s.slots()), grads, dTokens);
        }
        if (grads == null) {
            return new Loss(reconstruction, semanticLoss);
        }
        int dw = s.slots() + s.patches();
        float[] queryRows = new float[b * s.patches() * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(dec.hidden(), (i * dw + s.slots()) * d, queryRows, i * s.patches() * d, s.patches() * d);
        }
        Kernels.linearBackwardWeight(compute, dPixels, queryRows, b * s.patches(), grads.tensor("to_pixels.weight"));
        float[] dPixelBias = grads.tensor("to_pixels.bias").data();
        for (int i = 0; i < values; i++) {
            dPixelBias[i % pv] += dPixels[i];
        }
        float[] dQueries = new float[b * s.patches() * d];
        Kernels.linearBackwardInput(compute, dPixels, b * s.patches(), parameters.tensor("to_pixels.weight"), dQueries);
        float[] dDecoderHidden = new float[b * dw * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(dQueries, i * s.patches() * d, dDecoderHidden, (i * dw + s.slots()) * d, s.patches() * d);
        }
        dec.pass().backwardHidden(grads.part("decoder"), dDecoderHidden);
        float[] dDecoderInput = dec.pass().inputGradient();
        float[] dSlotRows = new float[b * s.slots() * d];
        float[] dMask = grads.tensor("mask").data();
        for (int i = 0; i < b; i++) {
            for (int t = 0; t < s.slots(); t++) {
                int from = (i * dw + t) * d;
                if (t < keep[i]) {
                    System.arraycopy(dDecoderInput, from, dSlotRows, (i * s.slots() + t) * d, d);
                } else {
                    for (int j = 0; j < d; j++) {
                        dMask[j] += dDecoderInput[from + j];
                    }
                }
            }
        }
        Kernels.linearBackwardWeight(compute, dSlotRows, enc.tokens(), b * s.slots(),
                grads.tensor("from_latent.weight"));
        float[] fromSlots = new float[b * s.slots() * q];
        Kernels.linearBackwardInput(compute, dSlotRows, b * s.slots(), parameters.tensor("from_latent.weight"),
                fromSlots);
        float[] dRaw = new float[dTokens.length];
        float[] dLatentBias = grads.tensor("to_latent.bias").data();
        for (int i = 0; i < dRaw.length; i++) {
            dRaw[i] = (dTokens[i] + fromSlots[i]) * quantiseDerivative(enc.raw()[i]);
            dLatentBias[i % q] += dRaw[i];
        }
        int ew = s.patches() + s.slots();
        float[] latentRows = new float[b * s.slots() * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(enc.hidden(), (i * ew + s.patches()) * d, latentRows, i * s.slots() * d, s.slots() * d);
        }
        Kernels.linearBackwardWeight(compute, dRaw, latentRows, b * s.slots(), grads.tensor("to_latent.weight"));
        float[] dLatentRows = new float[b * s.slots() * d];
        Kernels.linearBackwardInput(compute, dRaw, b * s.slots(), parameters.tensor("to_latent.weight"), dLatentRows);
        float[] dEncoderHidden = new float[b * ew * d];
        for (int i = 0; i < b; i++) {
            System.arraycopy(dLatentRows, i * s.slots() * d, dEncoderHidden, (i * ew + s.patches()) * d, s.slots() * d);
        }
        enc.pass().backwardHidden(grads.part("encoder"), dEncoderHidden);
        float[] dEncoderInput = enc.pass().inputGradient();
        float[] dPatchEmbeddings = new float[b * s.patches() * d];
        float[] centredPatches = new float[b * s.patches() * pv];
        for (int i = 0; i < b; i++) {
            System.arraycopy(dEncoderInput, i * ew * d, dPatchEmbeddings, i * s.patches() * d, s.patches() * d);
            System.arraycopy(centred(enc.patches()[i]), 0, centredPatches, i * s.patches() * pv, s.patches() * pv);
        }
        Kernels.linearBackwardWeight(compute, dPatchEmbeddings, centredPatches, b * s.patches(),
                grads.tensor("patch_in.weight"));
        return new Loss(reconstruction, semanticLoss);
    }

    /** Adds the semantic head's gradient to {@code grads} (if given) and the tokens' to {@code dTokens}. */
    private double semanticTerm(float[] tokens, float[][] targets, double weight, int prefixes, TensorSet grads,
                                float[] dTokens) {
        Shape s = shape;
        int q = s.latentWidth();
        int sd = semanticDimension;
        float[] head = parameters.tensor("semantic_head.weight").data();
        float[] dHead = grads == null ? null : grads.tensor("semantic_head.weight").data();
        double loss = 0;
        int b = targets.length;
        for (int i = 0; i < b; i++) {
            double[] mean = new double[q];
            for (int j = 1; j <= prefixes; j++) {
                int row = (i * s.slots() + j - 1) * q;
                for (int v = 0; v < q; v++) {
                    mean[v] += (tokens[row + v] - mean[v]) / j;
                }
                double w = weight * (prefixes + 1 - j) / prefixes / (b * sd);
                double[] dMean = new double[q];
                for (int o = 0; o < sd; o++) {
                    double p = 0;
                    for (int v = 0; v < q; v++) {
                        p += head[o * q + v] * mean[v];
                    }
                    double e = p - targets[i][o];
                    loss += w * e * e;
                    for (int v = 0; v < q; v++) {
                        if (dHead != null) {
                            dHead[o * q + v] += (float) (2 * w * e * mean[v]);
                        }
                        dMean[v] += 2 * w * e * head[o * q + v];
                    }
                }
                // the mean of the first j tokens spreads its gradient evenly over them
                for (int t = 0; t < j; t++) {
                    for (int v = 0; v < q; v++) {
                        dTokens[(i * s.slots() + t) * q + v] += (float) (dMean[v] / j);
                    }
                }
            }
        }
        return loss;
    }

    /** The outcome of training: losses of the first and last steps (mean of the last 20) and the wall time. */
    record Trained(ImageTokenizer1d tokenizer, double firstLoss, double lastLoss, double seconds) {
    }

    /** Trains from these weights (in place) with AdamW under a warm-up plus cosine schedule. */
    Trained train(Compute compute, Images images, Targets targets, Training t) {
        TensorSet grads = parameters.zerosLike();
        AdamW optimizer = new AdamW(parameters.tensors(), 0.9f, 0.95f, 1e-8f, (float) t.weightDecay());
        LearningRate schedule = new LearningRate(t.learningRate(), t.minimumLearningRate(), t.warmup(), t.steps());
        Random random = new Random(t.seed() * 7919 + 3);
        boolean semantic = targets != null && t.semanticWeight() > 0 && t.semanticPrefixes() > 0;
        long start = System.nanoTime();
        double first = Double.NaN;
        double recent = 0;
        int recentCount = 0;
        for (int step = 0; step < t.steps(); step++) {
            float[][] batch = images.draw(step, t.batch());
            int[] keep = new int[batch.length];
            for (int i = 0; i < keep.length; i++) {
                keep[i] = t.nestedDropout() ? 1 + random.nextInt(shape.slots()) : shape.slots();
            }
            float[][] goals = null;
            if (semantic) {
                goals = new float[batch.length][];
                for (int i = 0; i < batch.length; i++) {
                    goals[i] = targets.of(batch[i]);
                }
            }
            grads.fill(0f);
            Loss loss = lossAndGradients(compute, batch, keep, goals, t.semanticWeight(), t.semanticPrefixes(), grads);
            AdamW.clip(grads.tensors(), t.clipNorm());
            optimizer.step(parameters.tensors(), grads.tensors(), (float) schedule.at(step));
            if (step == 0) {
                first = loss.reconstruction();
            }
            if (step >= t.steps() - 20) {
                recent += loss.reconstruction();
                recentCount++;
            }
        }
        return new Trained(this, first, recent / recentCount, (System.nanoTime() - start) / 1e9);
    }

    /** The tokens of each image (slots x latentWidth values; the first {@code tokens} are the deployed ones). */
    float[][] tokens(Compute compute, float[][] images) {
        float[] all = encode(compute, images).tokens();
        int per = shape.slots() * shape.latentWidth();
        float[][] out = new float[images.length][];
        for (int i = 0; i < images.length; i++) {
            out[i] = Arrays.copyOfRange(all, i * per, (i + 1) * per);
        }
        return out;
    }

    /** The FSQ digit (0..levels-1) of every token value: the ids the tokens would be sent as. */
    int[][] digits(Compute compute, float[][] images) {
        if (shape.levels() == 0) {
            throw new IllegalStateException("continuous tokens have no digits");
        }
        float[][] t = tokens(compute, images);
        float half = (shape.levels() - 1) / 2f;
        int[][] out = new int[t.length][];
        for (int i = 0; i < t.length; i++) {
            out[i] = new int[t[i].length];
            for (int j = 0; j < t[i].length; j++) {
                out[i][j] = Math.round(t[i][j] * half + half);
            }
        }
        return out;
    }

    /** The images decoded from their first {@code k} tokens (0..slots), clamped to [0, 1], planar. */
    private float[][] reconstructFromTokens(Compute compute, float[] tokens, int count, int k) {
        int[] keep = new int[count];
        Arrays.fill(keep, k);
        float[] pixels = decode(compute, tokens, keep).pixels();
        int per = shape.patches() * shape.patchValues();
        float[][] out = new float[count][];
        for (int i = 0; i < count; i++) {
            float[] p = Arrays.copyOfRange(pixels, i * per, (i + 1) * per);
            for (int j = 0; j < p.length; j++) {
                p[j] = Math.max(0f, Math.min(1f, p[j]));
            }
            out[i] = imageOf(p);
        }
        return out;
    }

    /**
     * Mean PSNR (peak 1, per image, then averaged) of {@code images} decoded from their first k
     * tokens, for k = 0..maxTokens (k = 0: every slot masked, the decoder's prior image).
     */
    double[] psnrByPrefix(Compute compute, float[][] images, int maxTokens) {
        double[] out = new double[maxTokens + 1];
        int chunk = 16;
        for (int from = 0; from < images.length; from += chunk) {
            float[][] part = Arrays.copyOfRange(images, from, Math.min(images.length, from + chunk));
            float[] tokens = encode(compute, part).tokens();
            for (int k = 0; k <= maxTokens; k++) {
                float[][] rec = reconstructFromTokens(compute, tokens, part.length, k);
                for (int i = 0; i < part.length; i++) {
                    out[k] += psnr(part[i], rec[i]);
                }
            }
        }
        for (int k = 0; k <= maxTokens; k++) {
            out[k] /= images.length;
        }
        return out;
    }

    static double psnr(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            double e = a[i] - b[i];
            s += e * e;
        }
        double mse = s / a.length;
        return mse <= 0 ? 100 : 10 * Math.log10(1 / mse);
    }

    /** The patches of a planar image, raster order, each channel by channel, row by row. */
    float[] patchesOf(float[] image) {
        Shape s = shape;
        if (image.length != s.imageValues()) {
            throw new IllegalArgumentException(image.length + " values for a " + s.side() + "x" + s.side() + "x"
                    + s.channels() + " image");
        }
        float[] out = new float[s.patches() * s.patchValues()];
        copyPatches(image, out, true);
        return out;
    }

    /** The inverse of {@link #patchesOf}. */
    float[] imageOf(float[] patches) {
        float[] out = new float[shape.imageValues()];
        copyPatches(patches, out, false);
        return out;
    }

    /**
     * Walks the patches in raster order, each channel by channel, row by row, copying each patch row
     * from the image to the patch layout ({@code toPatches}) or back.
     */
    private void copyPatches(float[] from, float[] to, boolean toPatches) {
        Shape s = shape;
        int per = s.side() / s.patch();
        int i = 0;
        for (int py = 0; py < per; py++) {
            for (int px = 0; px < per; px++) {
                for (int c = 0; c < s.channels(); c++) {
                    for (int y = 0; y < s.patch(); y++) {
                        int row = (c * s.side() + py * s.patch() + y) * s.side() + px * s.patch();
                        if (toPatches) {
                            System.arraycopy(from, row, to, i, s.patch());
                        } else {
                            System.arraycopy(from, i, to, row, s.patch());
                        }
                        i += s.patch();
                    }
                }
            }
        }
    }

    /** Pixels minus one half, so the patch embedding sees values centred on zero. */
    private static float[] centred(float[] pixels) {
        float[] out = new float[pixels.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = pixels[i] - 0.5f;
        }
        return out;
    }

    /** b sequences of {@code width} positions that all read token 0 (their content comes through the input). */
    private static Batch sameTokens(int b, int width) {
        int[] targets = new int[b * width];
        Arrays.fill(targets, -1);
        int[] lengths = new int[b];
        Arrays.fill(lengths, width);
        return new Batch(b, width, new int[b * width], targets, lengths);
    }
}
