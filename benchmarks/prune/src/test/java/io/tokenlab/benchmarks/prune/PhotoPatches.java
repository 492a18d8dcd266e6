package io.tokenlab.benchmarks.prune;

import io.tokenlab.api.compute.FloatMatrix;

import javax.imageio.ImageIO;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;

/**
 * Real photos as visual tokens, the way a ViT front end cuts them: the photo resized to
 * (side*16) x (side*16), cut into 16x16 RGB patches in raster order, each flattened to 768 values in
 * [0, 1], minus the photo's mean patch (so that cosine compares content, not overall brightness).
 * No learned projection is involved: these are patch features, not CLIP features.
 *
 * <p>The photos are Debian python3-skimage's {@code skimage/data}, fetched once with
 * {@code apt-get download} and unpacked with {@code dpkg-deb -x} into the data directory.
 */
final class PhotoPatches {
    static final int PATCH = 16;

    private PhotoPatches() {
    }

    /** The skimage/data directory, fetched into {@code dataDir/skimage} on first use. */
    static Path skimageData(Path dataDir) throws IOException, InterruptedException {
        Path root = dataDir.resolve("skimage");
        Path images = root.resolve("usr/lib/python3/dist-packages/skimage/data");
        if (Files.isRegularFile(images.resolve("astronaut.png"))) {
            return images;
        }
        Files.createDirectories(root);
        run(root, "apt-get", "download", "python3-skimage");
        try (var debs = Files.list(root)) {
            Path deb = debs.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("apt-get download python3-skimage left no .deb in " + root));
            run(root, "dpkg-deb", "-x", deb.toString(), root.toString());
            Files.delete(deb);
        }
        return images;
    }

    private static void run(Path dir, String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(300, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException(String.join(" ", command) + " failed: " + out);
        }
    }

    /** The (side*side) x 768 patch features of one photo. */
    static FloatMatrix features(Path photo, int side) throws IOException {
        BufferedImage source = ImageIO.read(photo.toFile());
        if (source == null) {
            throw new IOException("not an image ImageIO can read: " + photo);
        }
        return features(source, 0, 0, source.getWidth(), source.getHeight(), side);
    }

    /** Patch features of the region (x, y, w, h) of a photo resized to side*16 pixels square. */
    static FloatMatrix features(BufferedImage source, int x, int y, int w, int h, int side) {
        int size = side * PATCH;
        BufferedImage resized = new BufferedImage(size, size, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = resized.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_INTERPOLATION, RenderingHints.VALUE_INTERPOLATION_BILINEAR);
        g.drawImage(source, 0, 0, size, size, x, y, x + w, y + h, null);
        g.dispose();
        int d = PATCH * PATCH * 3;
        float[] f = new float[side * side * d];
        for (int py = 0; py < side; py++) {
            for (int px = 0; px < side; px++) {
                int offset = (py * side + px) * d;
                int k = 0;
                for (int yy = 0; yy < PATCH; yy++) {
                    for (int xx = 0; xx < PATCH; xx++) {
                        int rgb = resized.getRGB(px * PATCH + xx, py * PATCH + yy);
                        f[offset + k++] = ((rgb >> 16) & 0xff) / 255f;
                        f[offset + k++] = ((rgb >> 8) & 0xff) / 255f;
                        f[offset + k++] = (rgb & 0xff) / 255f;
                    }
                }
            }
        }
        centre(f, side * side, d);
        return new FloatMatrix(side * side, d, f);
    }

    private static void centre(float[] f, int n, int d) {
        double[] mean = new double[d];
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                mean[k] += f[i * d + k];
            }
        }
        for (int i = 0; i < n; i++) {
            for (int k = 0; k < d; k++) {
                f[i * d + k] -= (float) (mean[k] / n);
            }
        }
    }
}
