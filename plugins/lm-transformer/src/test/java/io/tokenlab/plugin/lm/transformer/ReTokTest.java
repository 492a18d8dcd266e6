package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.plugin.image.common.BasisTrainer;
import io.tokenlab.plugin.image.common.Fsq;
import io.tokenlab.plugin.image.common.ImageFiles;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.ImageQuality;
import io.tokenlab.plugin.image.common.OrderedBasis;
import io.tokenlab.plugin.image.common.PrefixCodec;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.MemoryCacheImageOutputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * ReTok (arXiv 2601.01535) on a small learned 1-D tokenizer ({@link ImageTokenizer1d}) of real photos:
 * 32 x 32 RGB crops, 8 x 8 patches, 16 deployed FSQ tokens of 4 values at 5 levels (10 bits a token).
 * Trained on crops of the training photos (OpenCV's samples), measured on crops of the held-out photos
 * (scikit-image's), both fetched through the data catalog. Four tokenizers of the same shape and seed:
 * a control trained with every token kept (no nested dropout); nested dropout alone (the baseline);
 * with ReTok's redundant padding (8 extra slots, trained, only the first 16 deployed); and with
 * padding plus the hierarchical semantic regulariser, whose target is the image's 8 leading PCA
 * coefficients (standardised) on a basis fitted to the training crops: no vision foundation model is
 * available, so that linear stand-in takes its place. Beside them: the PCA prefix codec of
 * image-common at equal token counts and bits (the same basis, 4 coefficients of 5 levels a token),
 * and JPEG. The rows it prints are what {@code benchmarks/transformer-experiment.sh retok} tabulates.
 *
 * <p>What catches a removed mechanism. Nested dropout: trained with every token, a one-token prefix
 * does not decode (the decoder never saw a mask), so the first token's share of the gain falls
 * below half; the assertions that every prefix decodes (first token over half the gain, no longer
 * prefix below a shorter one by more than 0.3 dB of training noise) then fail, as they do when the
 * option is switched off for all models (tried: the first token brings 0.49 dB of 6.6). Padding:
 * with 0 padding slots the padded model is the baseline itself (same shape, seed and images), so
 * the assertion that it decodes the deployed tail half's prefixes better (strictly) fails (tried:
 * identical curves).
 * What is not asserted: that padding moves the share of the gain toward the tail. At this size the
 * first token brings 75 to 93 % of the gain in every nested-dropout model and the tail's share
 * moves by less than training noise, up at 250 steps and down at 2000 (the report's figures); the
 * padded model's lead on the tail prefixes is a tenth of a dB. The finite-difference test
 * fails on any gradient path left out (decoder to tokens, the straight-through quantiser's bound,
 * the mask, the semantic head and its prefix means).
 */
class ReTokTest {
    private static final int SIDE = 32;
    private static final int TOKENS = Integer.getInteger("retok.tokens", 16);
    private static final int PADDING = Integer.getInteger("retok.padding", 8);
    private static final int STEPS = Integer.getInteger("retok.steps", 250);
    private static final int DIMENSION = Integer.getInteger("retok.dimension", 48);
    private static final double LEARNING_RATE = Double.parseDouble(System.getProperty("retok.lr", "1e-3"));
    private static final int SEMANTIC = 8;
    private static final int LATENT = 4;
    private static final int LEVELS = Integer.getInteger("retok.levels", 5);
    private static final int[] JPEG_QUALITIES = {5, 10, 25, 50, 75, 90};

    @Test
    void gradientsMatchFiniteDifferences() {
        Compute compute = new io.tokenlab.runtime.compute.scalar.ScalarCompute();
        ImageTokenizer1d.Shape shape = new ImageTokenizer1d.Shape(8, 1, 4, 3, 1, 8, 1, 2, 12, 2, 0);
        ImageTokenizer1d model = ImageTokenizer1d.initialise(shape, 3, 5);
        model.parameters.tensors().forEach((name, m) -> {
            for (int i = 0; i < m.data().length; i++) {
                boolean block = name.startsWith("encoder") || name.startsWith("decoder");
                m.data()[i] *= name.contains("norm") ? 1 : block ? 25 : 2;
            }
        });
        Random random = new Random(3);
        float[][] images = new float[2][64];
        float[][] targets = new float[2][3];
        for (int i = 0; i < 2; i++) {
            for (int j = 0; j < 64; j++) {
                images[i][j] = random.nextFloat();
            }
            for (int j = 0; j < 3; j++) {
                targets[i][j] = (float) random.nextGaussian();
            }
        }
        int[] keep = {2, 4};
        TensorSet grads = model.parameters.zerosLike();
        model.lossAndGradients(compute, images, keep, targets, 0.7, 2, grads);
        for (Map.Entry<String, FloatMatrix> e : model.parameters.tensors().entrySet()) {
            float[] p = e.getValue().data();
            for (int k = 0; k < 3; k++) {
                int i = random.nextInt(p.length);
                FiniteDifferences.check(e.getKey() + "[" + i + "]", grads.tensor(e.getKey()).data()[i], p, i,
                        () -> model.lossAndGradients(compute, images, keep, targets, 0.7, 2, null).total(),
                        1e-4, 3e-2);
            }
        }
    }

    /** Training crops, held-out crops, the PCA basis on training crops and everything measured on them. */
    @Test
    void everyPrefixDecodesAndPaddingImprovesTheLongPrefixes() throws IOException {
        Compute compute = RealRuns.COMPUTE;
        long start = System.nanoTime();
        List<FloatImage> trainingViews = views(TrainingPhotos.load(RealRuns.context(), TrainingPhotos.TRAINING_SET),
                new int[]{32, 48, 64, 96, 128});
        float[][] heldOut = heldOutCrops(TrainingPhotos.load(RealRuns.context(), TrainingPhotos.HELD_OUT_SET));
        ImageTokenizer1d.Images training = (step, count) -> {
            Random random = new Random(1_000_003L * step + 17);
            float[][] out = new float[count][];
            for (int i = 0; i < count; i++) {
                out[i] = crop(trainingViews.get(random.nextInt(trainingViews.size())), random);
            }
            return out;
        };
        // the PCA of the training crops: the linear baseline's basis and the regulariser's target
        float[] samples = new float[1024 * 3 * SIDE * SIDE];
        float[][] drawn = training.draw(-1, 1024);
        for (int i = 0; i < drawn.length; i++) {
            System.arraycopy(drawn[i], 0, samples, i * drawn[i].length, drawn[i].length);
        }
        OrderedBasis basis = BasisTrainer.randomizedSvd(compute, new FloatMatrix(1024, 3 * SIDE * SIDE, samples),
                TOKENS * LATENT, 32, 4, 11);
        ImageTokenizer1d.Targets semantic = image -> {
            FloatMatrix c = basis.coefficients(compute, new FloatMatrix(1, image.length, image), SEMANTIC);
            float[] out = new float[SEMANTIC];
            for (int j = 0; j < SEMANTIC; j++) {
                out[j] = (float) (c.data()[j] / Math.sqrt(Math.max(basis.variance(j), 1e-12f)));
            }
            return out;
        };

        System.out.printf(Locale.ROOT, "retok-setup\t%.1f s%n", (System.nanoTime() - start) / 1e9);
        ImageTokenizer1d.Shape shape = new ImageTokenizer1d.Shape(SIDE, 3, 8, TOKENS, 0, DIMENSION, 2, 4, 2 * DIMENSION,
                LATENT, LEVELS);
        Map<String, ImageTokenizer1d.Shape> shapes = new java.util.LinkedHashMap<>();
        shapes.put("no-nested-dropout", shape);
        shapes.put("nested-dropout", shape);
        shapes.put("padding", shape.withPadding(PADDING));
        shapes.put("padding+semantic", shape.withPadding(PADDING));
        Map<String, double[]> curves = new java.util.LinkedHashMap<>();
        for (Map.Entry<String, ImageTokenizer1d.Shape> e : shapes.entrySet()) {
            boolean regularised = e.getKey().contains("semantic");
            ImageTokenizer1d.Training settings = new ImageTokenizer1d.Training(STEPS, 16, LEARNING_RATE,
                    LEARNING_RATE / 10, Math.min(25, STEPS / 10), 0.01, 1.0, 7,
                    !e.getKey().startsWith("no-"), regularised ? 0.5 : 0, regularised ? TOKENS / 2 : 0);
            ImageTokenizer1d model = ImageTokenizer1d.initialise(e.getValue(), regularised ? SEMANTIC : 0, 7);
            ImageTokenizer1d.Trained trained = model.train(compute, training, semantic, settings);
            double[] psnr = model.psnrByPrefix(compute, heldOut, TOKENS);
            curves.put(e.getKey(), psnr);
            StringBuilder row = new StringBuilder("retok-row\t" + e.getKey());
            for (double v : psnr) {
                row.append(String.format(Locale.ROOT, "\t%.3f", v));
            }
            System.out.println(row);
            System.out.printf(Locale.ROOT, "retok-train\t%s\t%d\t%.5f\t%.5f\t%.1f\t%s%n", e.getKey(), STEPS,
                    trained.firstLoss(), trained.lastLoss(), trained.seconds(),
                    entropies(model.digits(compute, heldOut)));
        }

        // the linear prefix codec of image-common over the same basis, and JPEG, at the same 32 x 32 crops
        PrefixCodec pca = new PrefixCodec(basis, SIDE, 0, new Fsq(new int[]{LEVELS, LEVELS, LEVELS, LEVELS}, 2.0));
        double[] pcaPsnr = new double[TOKENS + 1];
        for (float[] image : heldOut) {
            FloatImage photo = new FloatImage(SIDE, SIDE, 3, image);
            int[] tokens = pca.encode(compute, photo).tokens();
            for (int k = 0; k <= TOKENS; k++) {
                pcaPsnr[k] += ImageQuality.psnr(photo, pca.decode(compute, Arrays.copyOf(tokens, k), SIDE, SIDE))
                        / heldOut.length;
            }
        }
        StringBuilder row = new StringBuilder("retok-row\tpca-prefix");
        for (double v : pcaPsnr) {
            row.append(String.format(Locale.ROOT, "\t%.3f", v));
        }
        System.out.println(row);
        System.out.printf(Locale.ROOT, "retok-bits\t%d\t%d%n", shape.bitsPerToken(), pca.fsq().bitsPerToken());
        for (int q : JPEG_QUALITIES) {
            double bytes = 0;
            double psnr = 0;
            for (float[] image : heldOut) {
                FloatImage photo = new FloatImage(SIDE, SIDE, 3, image);
                byte[] jpeg = jpeg(photo, q / 100f);
                bytes += jpeg.length / (double) heldOut.length;
                psnr += ImageQuality.psnr(photo, ImageFiles.read(jpeg, "crop.jpg")) / heldOut.length;
            }
            System.out.printf(Locale.ROOT, "retok-jpeg\t%d\t%.1f\t%.3f%n", q, bytes, psnr);
        }

        double[] baseline = curves.get("nested-dropout");
        double[] padded = curves.get("padding");
        double[] control = curves.get("no-nested-dropout");
        // the control: trained with every token, a short prefix of its tokens does not decode
        assertThat(control[1] - control[0]).as("no nested dropout: gain of the first token")
                .isLessThan(0.5 * (control[TOKENS] - control[0]));
        for (Map.Entry<String, double[]> e : curves.entrySet()) {
            double[] curve = e.getValue();
            if (curve == control) {
                continue;
            }
            // every prefix decodes: the first token alone brings most of the gain, the full set beats it, and
            // no longer prefix falls more than training noise (0.3 dB) below a shorter one
            double best = curve[0];
            for (int k = 1; k <= TOKENS; k++) {
                assertThat(curve[k]).as(e.getKey() + ": PSNR at " + k + " tokens").isGreaterThan(best - 0.3);
                best = Math.max(best, curve[k]);
            }
            assertThat(curve[1] - curve[0]).as(e.getKey() + ": gain of the first token")
                    .isGreaterThan(0.5 * (curve[TOKENS] - curve[0])).isGreaterThan(2.0);
            assertThat(curve[TOKENS]).as(e.getKey() + ": all tokens against the first").isGreaterThan(curve[1]);
        }
        System.out.printf(Locale.ROOT, "retok-tail\t%.4f\t%.4f\t%.3f\t%.3f%n", tailShare(baseline), tailShare(padded),
                tailMean(baseline), tailMean(padded));
        // the padding's mechanism: the deployed tail is kept in (M + 1) / (K + M) of the training images instead
        // of 1 / K, so the long prefixes decode better. Its share of the gain is not asserted: at this size the
        // first token brings 75-93 % of the gain in every nested-dropout model, and the tail's share moves by less
        // than training noise (up at 250 steps, down at 2000; see the report)
        assertThat(tailMean(padded)).as("mean PSNR over the prefixes of the deployed tail half, padding vs none")
                .isGreaterThan(tailMean(baseline));
    }

    /** Mean PSNR over the prefix lengths K/2 + 1..K (the deployed tail half). */
    static double tailMean(double[] psnr) {
        int k = psnr.length - 1;
        return Arrays.stream(psnr, k / 2 + 1, k + 1).average().orElseThrow();
    }

    /** The share of the total PSNR gain from tokens 1..K that the last half of the positions brings. */
    static double tailShare(double[] psnr) {
        int k = psnr.length - 1;
        return (psnr[k] - psnr[k / 2]) / (psnr[k] - psnr[0]);
    }

    /** Per token position, the entropy (bits) of its FSQ digits over the held-out crops, for the deployed tokens. */
    private static String entropies(int[][] digits) {
        StringBuilder out = new StringBuilder();
        for (int t = 0; t < TOKENS; t++) {
            Map<String, Integer> counts = new java.util.HashMap<>();
            for (int[] d : digits) {
                counts.merge(Arrays.toString(Arrays.copyOfRange(d, t * LATENT, (t + 1) * LATENT)), 1, Integer::sum);
            }
            double h = 0;
            for (int c : counts.values()) {
                double p = c / (double) digits.length;
                h -= p * Math.log(p) / Math.log(2);
            }
            out.append(t == 0 ? "" : ",").append(String.format(Locale.ROOT, "%.2f", h));
        }
        return out.toString();
    }

    /** Each photo's centre square at several sizes and its mirror image: views to crop 32 x 32 from. */
    private static List<FloatImage> views(List<FloatImage> photos, int[] sizes) {
        List<FloatImage> out = new ArrayList<>();
        for (FloatImage p : photos) {
            FloatImage square = ImageOps.centerSquare(ImageOps.rgb(p));
            for (int s : sizes) {
                FloatImage v = ImageOps.resize(square, s, s);
                out.add(v);
                out.add(ImageOps.flipHorizontal(v));
            }
        }
        return out;
    }

    private static float[] crop(FloatImage view, Random random) {
        int x = random.nextInt(view.width() - SIDE + 1);
        int y = random.nextInt(view.height() - SIDE + 1);
        return ImageOps.crop(view, x, y, SIDE, SIDE).data();
    }

    /** Per held-out photo: its centre square at 32 x 32 and the four quadrants of it at 64 x 64 (8-bit values). */
    private static float[][] heldOutCrops(List<FloatImage> photos) {
        List<float[]> out = new ArrayList<>();
        for (FloatImage p : photos) {
            FloatImage square = ImageOps.centerSquare(ImageOps.rgb(p));
            out.add(ImageFiles.quantizeTo8Bit(ImageOps.resize(square, SIDE, SIDE)).data());
            FloatImage twice = ImageFiles.quantizeTo8Bit(ImageOps.resize(square, 2 * SIDE, 2 * SIDE));
            for (int q = 0; q < 4; q++) {
                out.add(ImageOps.crop(twice, (q % 2) * SIDE, (q / 2) * SIDE, SIDE, SIDE).data());
            }
        }
        return out.toArray(float[][]::new);
    }

    private static byte[] jpeg(FloatImage image, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName("jpeg").next();
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (MemoryCacheImageOutputStream out = new MemoryCacheImageOutputStream(bytes)) {
            writer.setOutput(out);
            ImageWriteParam param = writer.getDefaultWriteParam();
            param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
            param.setCompressionQuality(quality);
            writer.write(null, new IIOImage(ImageFiles.toBuffered(image), null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
