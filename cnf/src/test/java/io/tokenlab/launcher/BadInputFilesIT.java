package io.tokenlab.launcher;

import io.tokenlab.api.testkit.BadFiles;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Input files that used to give an empty result, a grey image or an OutOfMemoryError, run through the
 * exported launcher as a user runs the shipped pipelines: each fails with its exit code, a message
 * naming the file and what is accepted, and no output file.
 */
class BadInputFilesIT {
    @TempDir
    static Path home;

    private record Run(int exit, String output) {
    }

    @BeforeAll
    static void installPlugins() throws Exception {
        Path bundles = Files.createDirectories(home.resolve("bundles"));
        for (String plugin : new String[] {"math-common", "prune-common", "prune-divprune", "image-common",
            "image-prefix"}) {
            Files.copy(EmbeddedRuntime.ROOT.resolve("plugins/" + plugin + "/target/" + plugin + "-1.0.0.jar"),
                    bundles.resolve(plugin + ".jar"));
        }
    }

    /** {@code java -jar launch.jar run pipelines/<pipeline> --input <input> --output <home>/out}. */
    private static Run run(String pipeline, Path input) throws Exception {
        Path output = home.resolve("out");
        Process p = new ProcessBuilder("java", "--add-modules", "jdk.incubator.vector", "-Dtokenlab.home=" + home,
                "-Dgosh.args=--nointeractive", "-jar", EmbeddedRuntime.LAUNCH_JAR.toString(), "run",
                EmbeddedRuntime.ROOT.resolve("pipelines").resolve(pipeline).toString(), "--input", input.toString(),
                "--output", output.toString()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).as("finished").isTrue();
        assertThat(output).as("no output file after a failed run; the run printed:\n" + out).doesNotExist();
        try (var left = Files.list(home)) {
            assertThat(left.filter(f -> f.getFileName().toString().endsWith(".tmp"))).as("temporary files").isEmpty();
        }
        return new Run(p.exitValue(), out);
    }

    private static Path write(String name, byte[] bytes) throws Exception {
        return Files.write(home.resolve(name), bytes);
    }

    @Test
    void oneTokenAtDivPrunesRatioIsRefusedNotAnEmptySelection() throws Exception {
        Path one = write("one.npy", BadFiles.npyFloat32(1, 8, new float[] {1, 2, 3, 4, 5, 6, 7, 8}));
        Run r = run("prune-divprune.yaml", one);
        assertThat(r.exit()).as(r.output()).isEqualTo(1);
        assertThat(r.output()).contains("stage 'prune'").contains("keep.ratio")
                .contains("0.098 of 1 token keeps round(1 x 0.098) = 0 tokens").contains("keep: 1..1");
    }

    @Test
    void aOneDimensionalArrayIsNotATokenSet() throws Exception {
        Path vector = write("vector.npy", BadFiles.npy("{'descr': '<f4', 'fortran_order': False, 'shape': (8,), }",
                new byte[32]));
        Run r = run("prune-divprune.yaml", vector);
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains(vector + ": shape (8,) has 1 dimension")
                .contains("accepted: a 2-D array N x D").contains("(1, 8)");
    }

    @Test
    void anOverflowingShapeNamesTheFileAndTheShape() throws Exception {
        Path big = write("big.npy", BadFiles.npy("{'descr': '<f4', 'fortran_order': False, "
                + "'shape': (2000000000, 2000000000), }", new byte[0]));
        Run r = run("prune-divprune.yaml", big);
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains(big + ": shape (2000000000, 2000000000)").doesNotContain("integer overflow");
    }

    @Test
    void aPngBombIsRefusedBeforeDecoding() throws Exception {
        Path bomb = write("bomb.png", BadFiles.pngBomb(20000));
        Run r = run("image-compress.yaml", bomb);
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains(bomb + ": the PNG image is 20000 x 20000 = 400000000 pixels, over the limit")
                .contains("tokenlab.image.maxPixels").doesNotContain("OutOfMemoryError");
    }

    @Test
    void aTruncatedJpegIsRefused() throws Exception {
        // large and busy enough that half the file is entropy-coded scan data: the cut lands inside the scan,
        // which the decoder used to fill with grey
        BufferedImage img = new BufferedImage(256, 192, BufferedImage.TYPE_INT_RGB);
        java.util.Random rnd = new java.util.Random(3);
        for (int y = 0; y < 192; y++) {
            for (int x = 0; x < 256; x++) {
                img.setRGB(x, y, x << 16 | ((x ^ y) & 0xff) << 8 | rnd.nextInt(256));
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        assertThat(ImageIO.write(img, "jpg", jpeg)).isTrue();
        Path cut = write("cut.jpg", Arrays.copyOf(jpeg.toByteArray(), jpeg.size() / 2));
        Run r = run("image-compress.yaml", cut);
        assertThat(r.exit()).as(r.output()).isEqualTo(2);
        assertThat(r.output()).contains(cut + ": the JPEG image is damaged or truncated")
                .contains("the decoder would fill in what is missing").contains("premature end");
    }
}
