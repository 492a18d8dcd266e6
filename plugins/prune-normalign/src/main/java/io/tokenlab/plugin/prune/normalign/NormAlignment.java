package io.tokenlab.plugin.prune.normalign;

import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;

/**
 * The "Unseen Bias" norm alignment: visual tokens leave the projector with norms far above the text
 * embeddings', and in a pre-norm transformer a layer's relative update shrinks as 1/||h||, so such
 * tokens barely change through the layers. One LayerNorm-style stage after the projector brings them
 * to the text scale.
 *
 * <p>Two modes:
 * <ul>
 *   <li>{@link Mode#LAYER}: a LayerNorm without affine terms on each visual token (subtract its mean
 *   over D, divide by sqrt(var + epsilon)), then one global gain gamma chosen so that the mean visual
 *   norm equals the mean text norm (the paper's gamma initialised to match text-embedding norms). Token
 *   norms become nearly equal.</li>
 *   <li>{@link Mode#GLOBAL}: each visual token centred as in LayerNorm, then the same global gain,
 *   with no per-token division, so relative norms survive (what a norm-based pruner needs).</li>
 * </ul>
 */
public final class NormAlignment {
    public enum Mode { LAYER, GLOBAL }

    /**
     * @param features    the aligned visual features, N x D
     * @param gain        the global gain gamma applied after normalisation
     * @param ratioBefore mean visual norm / mean text norm before alignment
     * @param ratioAfter  the same after alignment (1 up to rounding)
     * @param norms       each aligned visual token's norm
     */
    public record Result(FloatMatrix features, double gain, double ratioBefore, double ratioAfter, double[] norms) {
    }

    private NormAlignment() {
    }

    public static Result align(FloatMatrix visual, FloatMatrix text, Mode mode, double epsilon) {
        if (visual.rows() == 0 || text.rows() == 0) {
            throw new TechniqueException("norm alignment needs visual and text tokens; got " + visual.shape()
                    + " visual and " + text.shape() + " text");
        }
        if (visual.cols() != text.cols()) {
            throw new TechniqueException("visual features are " + visual.shape() + " but text features are "
                    + text.shape() + "; both must have the same width D");
        }
        if (!(epsilon > 0) || !Double.isFinite(epsilon)) {
            throw new TechniqueException("LayerNorm epsilon " + epsilon + " must be a positive number");
        }
        finite("visual feature", visual);
        finite("text feature", text);
        double textNorm = meanNorm(rowNorms(text));
        if (textNorm == 0) {
            throw new TechniqueException("every text token has norm 0; there is no text scale to align to");
        }
        double ratioBefore = meanNorm(rowNorms(visual)) / textNorm;
        int n = visual.rows();
        int d = visual.cols();
        double[] normalised = new double[n * d];
        for (int i = 0; i < n; i++) {
            double mean = 0;
            for (int j = 0; j < d; j++) {
                mean += visual.get(i, j);
            }
            mean /= d;
            double var = 0;
            for (int j = 0; j < d; j++) {
                double c = visual.get(i, j) - mean;
                var += c * c;
            }
            var /= d;
            double scale = mode == Mode.LAYER ? 1 / Math.sqrt(var + epsilon) : 1;
            for (int j = 0; j < d; j++) {
                normalised[i * d + j] = (visual.get(i, j) - mean) * scale;
            }
        }
        double normalisedMean = 0;
        for (int i = 0; i < n; i++) {
            normalisedMean += norm(normalised, i * d, d);
        }
        normalisedMean /= n;
        if (normalisedMean == 0) {
            throw new TechniqueException("every visual token is constant across its features; centring leaves "
                    + "nothing to scale to the text norm");
        }
        double gain = textNorm / normalisedMean;
        float[] out = new float[n * d];
        for (int k = 0; k < out.length; k++) {
            out[k] = (float) (normalised[k] * gain);
        }
        FloatMatrix aligned = new FloatMatrix(n, d, out);
        double[] norms = rowNorms(aligned);
        return new Result(aligned, gain, ratioBefore, meanNorm(norms) / textNorm, norms);
    }

    static double[] rowNorms(FloatMatrix m) {
        double[] out = new double[m.rows()];
        for (int i = 0; i < m.rows(); i++) {
            double s = 0;
            for (int j = 0; j < m.cols(); j++) {
                double v = m.get(i, j);
                s += v * v;
            }
            out[i] = Math.sqrt(s);
        }
        return out;
    }

    private static double norm(double[] v, int from, int length) {
        double s = 0;
        for (int j = from; j < from + length; j++) {
            s += v[j] * v[j];
        }
        return Math.sqrt(s);
    }

    private static double meanNorm(double[] norms) {
        double s = 0;
        for (double x : norms) {
            s += x;
        }
        return s / norms.length;
    }

    private static void finite(String what, FloatMatrix m) {
        float[] data = m.data();
        for (int i = 0; i < data.length; i++) {
            if (!Float.isFinite(data[i])) {
                throw new TechniqueException(what + " (" + i / m.cols() + ", " + i % m.cols() + ") is " + data[i]
                        + "; features must be finite numbers");
            }
        }
    }
}
