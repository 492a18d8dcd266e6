package io.tokenlab.api.image;

/**
 * An image as planar float channels in [0, 1]: value (c, y, x) is
 * {@code data[(c * height + y) * width + x]}. Three channels are RGB, one is grey.
 */
public record FloatImage(int width, int height, int channels, float[] data) {
    public FloatImage {
        if (width <= 0 || height <= 0 || channels <= 0) {
            throw new IllegalArgumentException("image shape " + width + "x" + height + "x" + channels);
        }
        if ((long) width * height * channels != data.length) {
            throw new IllegalArgumentException("image " + width + "x" + height + "x" + channels + " needs "
                    + (long) width * height * channels + " values, got " + data.length);
        }
    }

    public float get(int c, int y, int x) {
        return data[(c * height + y) * width + x];
    }
}
