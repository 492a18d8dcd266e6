package io.tokenlab.runtime.io;

import io.tokenlab.api.image.FloatImage;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;

/** PNG/JPEG to planar float RGB in [0, 1] and back (ImageIO). */
public final class Images {
    private Images() {
    }

    public static FloatImage read(byte[] bytes, String name) throws IOException {
        BufferedImage img = ImageIO.read(new ByteArrayInputStream(bytes));
        if (img == null) {
            throw new IOException(name + ": not an image ImageIO can read; accepted: PNG, JPEG, BMP, GIF");
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
