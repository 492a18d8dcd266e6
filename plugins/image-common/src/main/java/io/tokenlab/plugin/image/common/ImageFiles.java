package io.tokenlab.plugin.image.common;

import io.tokenlab.api.image.FloatImage;

import javax.imageio.ImageIO;
import javax.imageio.ImageReader;
import javax.imageio.stream.ImageInputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.List;
import java.util.Locale;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Photos as RGB {@link FloatImage}s in [0, 1], and back to PNG bytes. */
public final class ImageFiles {
    private static final List<String> PHOTO_SUFFIXES = List.of(".png", ".jpg", ".jpeg");

    private ImageFiles() {
    }

    public static FloatImage read(Path file) throws IOException {
        if (!Files.isRegularFile(file)) {
            throw new IOException(file + ": no such image file");
        }
        return read(Files.readAllBytes(file), file.toString());
    }

    /**
     * Decodes PNG or JPEG bytes. Grey images become three equal channels and alpha is dropped, so
     * every model sees RGB.
     *
     * @throws IOException naming the file when it is empty, not an image, unsupported or corrupt
     */
    public static FloatImage read(byte[] bytes, String name) throws IOException {
        if (bytes.length == 0) {
            throw new IOException(name + ": empty file, not an image");
        }
        BufferedImage img;
        try (ImageInputStream in = ImageIO.createImageInputStream(new ByteArrayInputStream(bytes))) {
            Iterator<ImageReader> readers = ImageIO.getImageReaders(in);
            if (!readers.hasNext()) {
                throw new IOException(name + ": not an image format this runtime reads; accepted: PNG, JPEG");
            }
            ImageReader reader = readers.next();
            try {
                reader.setInput(in, true, true);
                img = reader.read(0);
            } catch (RuntimeException e) {
                // ImageIO throws unchecked exceptions on some truncated files; a user needs the file named
                throw new IOException(name + ": corrupt " + reader.getFormatName() + " image (" + e + ")", e);
            } finally {
                reader.dispose();
            }
        } catch (IOException e) {
            if (e.getMessage() != null && e.getMessage().startsWith(name + ":")) {
                throw e;
            }
            throw new IOException(name + ": corrupt or truncated image (" + e.getMessage() + ")", e);
        }
        if (img == null || img.getWidth() <= 0 || img.getHeight() <= 0) {
            throw new IOException(name + ": zero-size image");
        }
        return fromBuffered(img);
    }

    public static FloatImage fromBuffered(BufferedImage img) {
        int w = img.getWidth();
        int h = img.getHeight();
        int plane = w * h;
        int[] argb = img.getRGB(0, 0, w, h, null, 0, w);
        float[] data = new float[3 * plane];
        for (int i = 0; i < plane; i++) {
            int p = argb[i];
            data[i] = ((p >> 16) & 0xff) / 255f;
            data[plane + i] = ((p >> 8) & 0xff) / 255f;
            data[2 * plane + i] = (p & 0xff) / 255f;
        }
        return new FloatImage(w, h, 3, data);
    }

    public static BufferedImage toBuffered(FloatImage image) {
        int w = image.width();
        int h = image.height();
        int plane = w * h;
        float[] d = image.data();
        int[] rgb = new int[plane];
        boolean colour = image.channels() >= 3;
        for (int i = 0; i < plane; i++) {
            int r = toByte(d[i]);
            int g = colour ? toByte(d[plane + i]) : r;
            int b = colour ? toByte(d[2 * plane + i]) : r;
            rgb[i] = (r << 16) | (g << 8) | b;
        }
        BufferedImage out = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        out.setRGB(0, 0, w, h, rgb, 0, w);
        return out;
    }

    public static byte[] png(FloatImage image) {
        return encode(toBuffered(image), "png");
    }

    /** Bytes of the image written by an ImageIO writer of that format name (png, jpeg, webp...). */
    public static byte[] encode(BufferedImage image, String format) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try {
            if (!ImageIO.write(image, format, out)) {
                throw new IllegalStateException("no ImageIO writer for " + format);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return out.toByteArray();
    }

    /** The image as 8-bit values and back: what a PNG of it holds. */
    public static FloatImage quantizeTo8Bit(FloatImage image) {
        float[] d = image.data().clone();
        for (int i = 0; i < d.length; i++) {
            d[i] = toByte(d[i]) / 255f;
        }
        return new FloatImage(image.width(), image.height(), image.channels(), d);
    }

    /** PNG and JPEG files directly in a directory, sorted by name. */
    public static List<Path> photosIn(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(p -> {
                String n = p.getFileName().toString().toLowerCase(Locale.ROOT);
                return PHOTO_SUFFIXES.stream().anyMatch(n::endsWith);
            }).sorted().collect(Collectors.toList());
        }
    }

    private static int toByte(float v) {
        if (!(v > 0f)) {
            return 0; // NaN included
        }
        return Math.min(255, Math.round(v * 255f));
    }
}
