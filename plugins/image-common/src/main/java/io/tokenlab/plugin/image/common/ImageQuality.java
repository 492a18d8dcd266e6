package io.tokenlab.plugin.image.common;

import io.tokenlab.api.image.FloatImage;

/**
 * Full-reference quality of a reconstruction in [0, 1] units: MSE, PSNR (peak 1), SSIM (Wang et al.
 * 2004: Gaussian window 11 x 11, sigma 1.5, K1 = 0.01, K2 = 0.03, mean over the valid region and
 * over the channels) and MS-SSIM (Wang et al. 2003: 5 scales, weights 0.0448, 0.2856, 0.3001, 0.2363,
 * 0.1333, 2 x 2 average downsampling).
 */
public final class ImageQuality {
    private static final int WINDOW = 11;
    private static final double SIGMA = 1.5;
    private static final double C1 = 0.01 * 0.01;
    private static final double C2 = 0.03 * 0.03;
    private static final double[] MS_WEIGHTS = {0.0448, 0.2856, 0.3001, 0.2363, 0.1333};
    /** MS-SSIM needs an 11-pixel window at the fifth scale: 11 * 2^4. */
    public static final int MS_SSIM_MIN_SIDE = 176;
    private static final double[] GAUSSIAN = gaussian();

    private ImageQuality() {
    }

    private static double[] gaussian() {
        double[] g = new double[WINDOW];
        double sum = 0;
        for (int i = 0; i < WINDOW; i++) {
            double x = i - WINDOW / 2;
            g[i] = Math.exp(-x * x / (2 * SIGMA * SIGMA));
            sum += g[i];
        }
        for (int i = 0; i < WINDOW; i++) {
            g[i] /= sum;
        }
        return g;
    }

    public static double mse(FloatImage a, FloatImage b) {
        requireSameShape(a, b);
        double s = 0;
        float[] x = a.data();
        float[] y = b.data();
        for (int i = 0; i < x.length; i++) {
            double d = x[i] - y[i];
            s += d * d;
        }
        return s / x.length;
    }

    public static double psnr(FloatImage a, FloatImage b) {
        return psnrOfMse(mse(a, b));
    }

    public static double psnrOfMse(double mse) {
        return mse <= 0 ? Double.POSITIVE_INFINITY : 10 * Math.log10(1 / mse);
    }

    public static double ssim(FloatImage a, FloatImage b) {
        requireSameShape(a, b);
        if (a.width() < WINDOW || a.height() < WINDOW) {
            throw new IllegalArgumentException("SSIM needs images of at least " + WINDOW + "x" + WINDOW + ", got "
                    + a.width() + "x" + a.height());
        }
        double sum = 0;
        for (int c = 0; c < a.channels(); c++) {
            sum += ssimTerms(plane(a, c), plane(b, c), a.width(), a.height())[0];
        }
        return sum / a.channels();
    }

    public static double msSsim(FloatImage a, FloatImage b) {
        requireSameShape(a, b);
        if (Math.min(a.width(), a.height()) < MS_SSIM_MIN_SIDE) {
            throw new IllegalArgumentException("MS-SSIM needs a side of at least " + MS_SSIM_MIN_SIDE + ", got "
                    + a.width() + "x" + a.height());
        }
        double total = 0;
        for (int c = 0; c < a.channels(); c++) {
            double[] x = plane(a, c);
            double[] y = plane(b, c);
            int w = a.width();
            int h = a.height();
            double product = 1;
            for (int scale = 0; scale < MS_WEIGHTS.length; scale++) {
                double[] terms = ssimTerms(x, y, w, h);
                // negative contrast-structure terms (anti-correlated detail) would make the power undefined
                double value = scale == MS_WEIGHTS.length - 1 ? terms[0] : terms[1];
                product *= Math.pow(Math.max(value, 0), MS_WEIGHTS[scale]);
                if (scale < MS_WEIGHTS.length - 1) {
                    x = halve(x, w, h);
                    y = halve(y, w, h);
                    w /= 2;
                    h /= 2;
                }
            }
            total += product;
        }
        return total / a.channels();
    }

    /** {mean SSIM, mean contrast-structure} of one plane over the valid window positions. */
    private static double[] ssimTerms(double[] x, double[] y, int w, int h) {
        double[] xx = new double[x.length];
        double[] yy = new double[x.length];
        double[] xy = new double[x.length];
        for (int i = 0; i < x.length; i++) {
            xx[i] = x[i] * x[i];
            yy[i] = y[i] * y[i];
            xy[i] = x[i] * y[i];
        }
        double[] mx = blur(x, w, h);
        double[] my = blur(y, w, h);
        double[] sxx = blur(xx, w, h);
        double[] syy = blur(yy, w, h);
        double[] sxy = blur(xy, w, h);
        double ssim = 0;
        double cs = 0;
        for (int i = 0; i < mx.length; i++) {
            double vx = sxx[i] - mx[i] * mx[i];
            double vy = syy[i] - my[i] * my[i];
            double cov = sxy[i] - mx[i] * my[i];
            double contrast = (2 * cov + C2) / (vx + vy + C2);
            double luminance = (2 * mx[i] * my[i] + C1) / (mx[i] * mx[i] + my[i] * my[i] + C1);
            ssim += luminance * contrast;
            cs += contrast;
        }
        return new double[] {ssim / mx.length, cs / mx.length};
    }

    /** Gaussian filter, valid region only: (w - 10) x (h - 10) values. */
    private static double[] blur(double[] p, int w, int h) {
        int vw = w - WINDOW + 1;
        int vh = h - WINDOW + 1;
        double[] horizontal = new double[h * vw];
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < vw; x++) {
                double s = 0;
                for (int k = 0; k < WINDOW; k++) {
                    s += GAUSSIAN[k] * p[y * w + x + k];
                }
                horizontal[y * vw + x] = s;
            }
        }
        double[] out = new double[vh * vw];
        for (int y = 0; y < vh; y++) {
            for (int x = 0; x < vw; x++) {
                double s = 0;
                for (int k = 0; k < WINDOW; k++) {
                    s += GAUSSIAN[k] * horizontal[(y + k) * vw + x];
                }
                out[y * vw + x] = s;
            }
        }
        return out;
    }

    private static double[] halve(double[] p, int w, int h) {
        int hw = w / 2;
        int hh = h / 2;
        double[] out = new double[hw * hh];
        for (int y = 0; y < hh; y++) {
            for (int x = 0; x < hw; x++) {
                out[y * hw + x] = 0.25 * (p[2 * y * w + 2 * x] + p[2 * y * w + 2 * x + 1]
                        + p[(2 * y + 1) * w + 2 * x] + p[(2 * y + 1) * w + 2 * x + 1]);
            }
        }
        return out;
    }

    private static double[] plane(FloatImage image, int c) {
        int n = image.width() * image.height();
        double[] out = new double[n];
        for (int i = 0; i < n; i++) {
            out[i] = image.data()[c * n + i];
        }
        return out;
    }

    private static void requireSameShape(FloatImage a, FloatImage b) {
        if (a.width() != b.width() || a.height() != b.height() || a.channels() != b.channels()) {
            throw new IllegalArgumentException("images differ in shape: " + a.width() + "x" + a.height() + "x"
                    + a.channels() + " vs " + b.width() + "x" + b.height() + "x" + b.channels());
        }
    }
}
