package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class CommonMathTest {
    @Test
    void rangeCoderRoundTripsAndCompressesSkewedSymbols() {
        Random r = new Random(7);
        int[] symbols = new int[20000];
        for (int i = 0; i < symbols.length; i++) {
            // geometric-like: mostly symbol 2 of 5
            double u = r.nextDouble();
            symbols[i] = u < 0.8 ? 2 : u < 0.9 ? 1 : u < 0.97 ? 3 : u < 0.99 ? 0 : 4;
        }
        RangeCoder.Encoder enc = new RangeCoder.Encoder();
        RangeCoder.Model m = new RangeCoder.Model(5);
        for (int s : symbols) {
            enc.encode(m, s);
        }
        byte[] bytes = enc.finish();
        RangeCoder.Decoder dec = new RangeCoder.Decoder(bytes);
        RangeCoder.Model m2 = new RangeCoder.Model(5);
        for (int i = 0; i < symbols.length; i++) {
            assertThat(dec.decode(m2)).as("symbol %d", i).isEqualTo(symbols[i]);
        }
        // entropy of that source is about 1.06 bits per symbol
        assertThat(bytes.length * 8.0 / symbols.length).isBetween(0.9, 1.2);
    }

    @Test
    void fsqKeepsZeroAsALevelAndPacksSixtyFourThousandIds() {
        Fsq fsq = new Fsq(new int[] {8, 8, 8, 5, 5, 5}, 2.0);
        assertThat(fsq.alphabet()).isEqualTo(64000);
        assertThat(fsq.bitsPerToken()).isEqualTo(16);
        for (int p = 0; p < 6; p++) {
            assertThat(fsq.value(p, fsq.digit(p, 0.01))).isEqualTo(0.0);
            for (double z = -5; z <= 5; z += 0.37) {
                double q = fsq.value(p, fsq.digit(p, z));
                assertThat(Math.abs(z - q)).isLessThanOrEqualTo(Math.abs(z) + 1e-12);
            }
        }
        int[] digits = {7, 0, 3, 4, 2, 1};
        assertThat(fsq.unpack(fsq.pack(digits))).containsExactly(digits);
        assertThatThrownBy(() -> fsq.unpack(64000)).hasMessageContaining("outside the FSQ alphabet");
    }

    @Test
    void ssimIsOneForIdenticalImagesAndFallsWithNoise() {
        FloatImage photo = ImageOps.resize(TestPhotos.heldOut().get(0), 192, 192);
        assertThat(ImageQuality.ssim(photo, photo)).isCloseTo(1.0, within(1e-9));
        assertThat(ImageQuality.msSsim(photo, photo)).isCloseTo(1.0, within(1e-9));
        float[] noisy = photo.data().clone();
        Random r = new Random(3);
        for (int i = 0; i < noisy.length; i++) {
            noisy[i] += (float) (0.05 * r.nextGaussian());
        }
        FloatImage n = new FloatImage(192, 192, 3, noisy);
        assertThat(ImageQuality.psnr(photo, n)).isCloseTo(26.0, within(0.3));
        assertThat(ImageQuality.ssim(photo, n)).isBetween(0.3, 0.95);
        assertThat(ImageQuality.msSsim(photo, n)).isGreaterThan(ImageQuality.ssim(photo, n));
    }

    @Test
    void blockGridRoundTripsImagesOfAnySize() {
        FloatImage photo = ImageOps.crop(ImageOps.rgb(TestPhotos.heldOut().get(1)), 3, 5, 37, 29);
        BlockGrid grid = new BlockGrid(8, 37, 29);
        FloatMatrix blocks = grid.split(photo);
        assertThat(blocks.rows()).isEqualTo(5 * 4);
        assertThat(grid.assemble(blocks).data()).containsExactly(photo.data());
        assertThat(grid.spreadOrder()).hasSize(20).doesNotHaveDuplicates();
    }

    @Test
    void corruptAndEmptyFilesAreClearErrors() {
        assertThatThrownBy(() -> ImageFiles.read(new byte[0], "empty.png")).isInstanceOf(IOException.class)
                .hasMessageContaining("empty.png").hasMessageContaining("empty");
        assertThatThrownBy(() -> ImageFiles.read("not an image".getBytes(StandardCharsets.UTF_8), "notes.txt"))
                .isInstanceOf(IOException.class).hasMessageContaining("notes.txt").hasMessageContaining("PNG");
        byte[] png = ImageFiles.png(ImageOps.resize(TestPhotos.heldOut().get(0), 64, 64));
        byte[] truncated = java.util.Arrays.copyOf(png, png.length / 3);
        assertThatThrownBy(() -> ImageFiles.read(truncated, "cut.png")).isInstanceOf(IOException.class)
                .hasMessageContaining("cut.png");
    }

    @Test
    void spearmanOfMonotoneDataIsOne() {
        assertThat(Statistics.spearman(new double[] {1, 2, 3, 4}, new double[] {10, 20, 25, 100})).isEqualTo(1.0);
        assertThat(Statistics.spearman(new double[] {1, 2, 3, 4}, new double[] {4, 3, 2, 1})).isEqualTo(-1.0);
    }

    @Test
    void kMeansDistortionNeverRises() {
        FloatMatrix blocks = TrainingPhotos.sampleBlocks(TestPhotos.training(), 256, 4, 4000, 11);
        KMeans km = KMeans.train(TestPhotos.COMPUTE, blocks, 64, 8, 5);
        double[] h = km.distortionPerIteration();
        for (int i = 1; i < h.length; i++) {
            assertThat(h[i]).isLessThanOrEqualTo(h[i - 1] * (1 + 1e-5));
        }
        assertThat(h[h.length - 1]).isLessThan(h[0]);
    }
}
