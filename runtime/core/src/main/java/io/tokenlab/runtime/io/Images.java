package io.tokenlab.runtime.io;

import io.tokenlab.api.image.FloatImage;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;

/**
 * PNG/JPEG to planar float RGB in [0, 1] and back (ImageIO). Reading refuses, with the file named:
 * an image larger than {@value #MAX_PIXELS_PROPERTY} pixels (checked from the header, before any
 * pixel is decoded, so a small file that inflates to gigabytes cannot exhaust memory), a file the
 * decoder cannot finish, and a file the decoder had to patch up (a truncated JPEG otherwise decodes
 * with its missing part grey, and the decoder only warns).
 */
public final class Images {
    /** The system property that sets the pixel limit (width x height). */
    public static final String MAX_PIXELS_PROPERTY = "tokenlab.image.maxPixels";
    /** 8192 x 8192 (67 Mpx): larger than camera photos, and its float planes (800 MB) fit a default heap. */
    public static final long DEFAULT_MAX_PIXELS = 8192L * 8192;
    /** Three float planes of this many pixels are the largest Java array. */
    static final long LARGEST_LIMIT = (Integer.MAX_VALUE - 8) / 3;

    private Images() {
    }

    /** The pixel limit in force: the system property, or the default. */
    public static long maxPixels() throws IOException {
        String value = System.getProperty(MAX_PIXELS_PROPERTY);
        if (value == null) {
            return DEFAULT_MAX_PIXELS;
        }
        long limit;
        try {
            limit = Long.parseLong(value.trim());
        } catch (NumberFormatException e) {
            limit = -1;
        }
        if (limit < 1 || limit > LARGEST_LIMIT) {
            throw new IOException("system property " + MAX_PIXELS_PROPERTY + " is '" + value + "'; accepted: an integer "
                    + "in 1.." + LARGEST_LIMIT + " (pixels, width x height; default " + DEFAULT_MAX_PIXELS + ")");
        }
        return limit;
    }

    public static FloatImage read(byte[] bytes, String name) throws IOException {
        long limit = maxPixels();
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = in == null ? null : ImageIO.getImageReaders(in);
            if (readers == null || !readers.hasNext()) {
                throw new IOException(name + ": not an image ImageIO can read; accepted: PNG, JPEG, BMP, GIF");
            }
            ImageReader reader = readers.next();
            String format = reader.getFormatName().toUpperCase(Locale.ROOT);
            List<String> warnings = new ArrayList<>();
            try {
                reader.setInput(in, true, true);
                reader.addIIOReadWarningListener((source, warning) -> warnings.add(warning));
                long w = reader.getWidth(0);
                long h = reader.getHeight(0);
                if (w * h > limit) {
                    throw new IOException(name + ": the " + format + " image is " + w + " x " + h + " = " + w * h
                            + " pixels, over the limit of " + limit + " pixels; refused before decoding (a larger "
                            + "limit: -D" + MAX_PIXELS_PROPERTY + "=N, in TOKENLAB_JAVA_OPTS for ./tokenlab)");
                }
                img = reader.read(0);
            } catch (IOException e) {
                if (e.getMessage() != null && e.getMessage().startsWith(name + ": ")) {
                    throw e;
                }
                throw corrupt(name, format, e);
            } catch (RuntimeException e) {
                // ImageIO's decoders throw unchecked exceptions on some malformed data
                throw corrupt(name, format, e);
            } finally {
                reader.dispose();
            }
            if (!warnings.isEmpty()) {
                throw new IOException(name + ": the " + format + " image is damaged or truncated; the decoder "
                        + "would fill in what is missing (" + String.join("; ", warnings) + "); refused");
            }
        }
        int w = img.getWidth();
        int h = img.getHeight();
        float[] data = new float[3 * w * h];
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        int plane = w * h;
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            data[i] = ((p >> 16) & 0xff) / 255f;
            data[plane + i] = ((p >> 8) & 0xff) / 255f;
            data[2 * plane + i] = (p & 0xff) / 255f;
        }
        return new FloatImage(w, h, 3, data);
    }

    private static IOException corrupt(String name, String format, Exception e) {
        StringBuilder why = new StringBuilder(String.valueOf(e.getMessage()));
        for (Throwable c = e.getCause(); c != null && c != c.getCause(); c = c.getCause()) {
            why.append(": ").append(c.getMessage() != null ? c.getMessage() : c.getClass().getSimpleName());
        }
        return new IOException(name + ": the " + format + " image is damaged or truncated and cannot be decoded ("
                + why + ")", e);
    }

    public static BufferedImage toBuffered(FloatImage image) {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        int[] rgb = new int[plane];
        float[] d = image.data();
        for (int i = 0; i < plane; i++) {
            int r = channel(d[i]);
            int g = image.channels() >= 3 ? channel(d[plane + i]) : r;
            int b = image.channels() >= 3 ? channel(d[2 * plane + i]) : r;
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    private static int channel(float v) {
        return Math.max(0, Math.min(255, Math.round(v * 255f)));
    }
}
