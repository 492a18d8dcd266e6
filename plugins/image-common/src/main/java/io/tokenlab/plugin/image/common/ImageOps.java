package io.tokenlab.plugin.image.common;

import io.tokenlab.api.image.FloatImage;

/** Crops, resizes and checks of planar float images. */
public final class ImageOps {
    private ImageOps() {
    }

    /** Fails with a clear message on images a codec cannot take (non-finite samples). */
    public static void requireUsable(FloatImage image) {
        float[] d = image.data();
        for (int i = 0; i < d.length; i++) {
            if (!Float.isFinite(d[i])) {
                int plane = image.width() * image.height();
                throw new IllegalArgumentException("image sample " + d[i] + " at channel " + i / plane + ", y "
                        + (i % plane) / image.width() + ", x " + i % image.width() + " is not a finite number");
            }
        }
    }

    /** Three channels: grey is replicated, extra channels (alpha) are dropped. */
    public static FloatImage rgb(FloatImage image) {
        if (image.channels() == 3) {
            return image;
        }
        int plane = image.width() * image.height();
        float[] out = new float[3 * plane];
        for (int c = 0; c < 3; c++) {
            int from = image.channels() == 1 ? 0 : Math.min(c, image.channels() - 1);
            System.arraycopy(image.data(), from * plane, out, c * plane, plane);
        }
        return new FloatImage(image.width(), image.height(), 3, out);
    }

    public static FloatImage crop(FloatImage image, int x0, int y0, int width, int height) {
        if (x0 < 0 || y0 < 0 || x0 + width > image.width() || y0 + height > image.height()) {
            throw new IllegalArgumentException("crop " + width + "x" + height + "+" + x0 + "+" + y0 + " outside "
                    + image.width() + "x" + image.height());
        }
        float[] out = new float[image.channels() * width * height];
        for (int c = 0; c < image.channels(); c++) {
            for (int y = 0; y < height; y++) {
                System.arraycopy(image.data(), (c * image.height() + y0 + y) * image.width() + x0, out,
                        (c * height + y) * width, width);
            }
        }
        return new FloatImage(width, height, image.channels(), out);
    }

    /** The largest centred square. */
    public static FloatImage centerSquare(FloatImage image) {
        int side = Math.min(image.width(), image.height());
        return crop(image, (image.width() - side) / 2, (image.height() - side) / 2, side, side);
    }

    /**
     * Resamples to the given size: box averaging over the source footprint when shrinking (no
     * aliasing), bilinear interpolation when enlarging.
     */
    public static FloatImage resize(FloatImage image, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("cannot resize to " + width + "x" + height);
        }
        if (width == image.width() && height == image.height()) {
            return image;
        }
        float[] horizontal = resample(image.data(), image.channels() * image.height(), image.width(), width);
        // transpose-free vertical pass: resample each column through a strided copy
        int channels = image.channels();
        float[] out = new float[channels * height * width];
        float[] column = new float[image.height()];
        for (int c = 0; c < channels; c++) {
            for (int x = 0; x < width; x++) {
                for (int y = 0; y < image.height(); y++) {
                    column[y] = horizontal[(c * image.height() + y) * width + x];
                }
                float[] resampled = resample(column, 1, image.height(), height);
                for (int y = 0; y < height; y++) {
                    out[(c * height + y) * width + x] = resampled[y];
                }
            }
        }
        return new FloatImage(width, height, channels, out);
    }

    /** Resamples each of {@code rows} rows of length {@code from} to length {@code to}. */
    private static float[] resample(float[] data, int rows, int from, int to) {
        float[] out = new float[rows * to];
        if (to <= from) {
            double scale = (double) from / to;
            for (int r = 0; r < rows; r++) {
                int base = r * from;
                for (int i = 0; i < to; i++) {
                    double start = i * scale;
                    double end = start + scale;
                    double sum = 0;
                    for (int s = (int) Math.floor(start); s < Math.min(from, (int) Math.ceil(end)); s++) {
                        double overlap = Math.min(end, s + 1) - Math.max(start, s);
                        sum += overlap * data[base + s];
                    }
                    out[r * to + i] = (float) (sum / scale);
                }
            }
        } else {
            double scale = (double) from / to;
            for (int r = 0; r < rows; r++) {
                int base = r * from;
                for (int i = 0; i < to; i++) {
                    double src = Math.max(0, (i + 0.5) * scale - 0.5);
                    int s0 = Math.min(from - 1, (int) src);
                    int s1 = Math.min(from - 1, s0 + 1);
                    double t = src - s0;
                    out[r * to + i] = (float) ((1 - t) * data[base + s0] + t * data[base + s1]);
                }
            }
        }
        return out;
    }

    /** Mirror image left to right (training augmentation). */
    public static FloatImage flipHorizontal(FloatImage image) {
        float[] out = new float[image.data().length];
        int w = image.width();
        for (int row = 0; row < image.channels() * image.height(); row++) {
            for (int x = 0; x < w; x++) {
                out[row * w + x] = image.data()[row * w + w - 1 - x];
            }
        }
        return new FloatImage(w, image.height(), image.channels(), out);
    }

    /** Values clamped to [0, 1]: what a decoded image can show. */
    public static FloatImage clamp(FloatImage image) {
        float[] d = image.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = Math.max(0f, Math.min(1f, d[i]));
        }
        return new FloatImage(image.width(), image.height(), image.channels(), d);
    }
}
