package io.tokenlab.plugin.image.patchvq;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.api.testkit.ImageConformance;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.ImageQuality;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PatchVqTechniqueTest extends ImageConformance {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    static final int[] EVALUATED = {0, 2, 3, 6};
    private static List<FloatImage> heldOut;

    static synchronized FloatImage photo(int index) {
        if (heldOut == null) {
            heldOut = TrainingPhotos.load(CONTEXT, TrainingPhotos.HELD_OUT_SET);
        }
        return ImageOps.rgb(heldOut.get(index));
    }

    static Parameters small(int codebook) {
        return Parameters.of(Map.of("codebook", codebook, "resolution", 128, "block", 8, "iterations", 15,
                "training.samples", 6000, "seed", 1));
    }

    @Override
    protected ImageTechnique technique() {
        return new PatchVqTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return small(256);
    }

    @Override
    protected RunContext context() {
        return CONTEXT;
    }

    @Override
    protected FloatImage image() {
        return photo(0);
    }

    private static PatchVqImageCodec open(int codebook) {
        return (PatchVqImageCodec) new PatchVqTechnique().open(small(codebook), CONTEXT);
    }

    @Test
    void kMeansDistortionNeverRisesAcrossIterations() {
        for (int size : new int[] {16, 256}) {
            double[] distortion = open(size).codebook().distortionPerIteration();
            System.out.printf("image/patchvq k=%d distortion by iteration %s%n", size, Arrays.toString(distortion));
            assertThat(distortion).hasSize(15);
            for (int i = 1; i < distortion.length; i++) {
                assertThat(distortion[i]).as("iteration %d of %s", i, Arrays.toString(distortion))
                        .isLessThanOrEqualTo(distortion[i - 1] * (1 + 1e-6));
            }
            assertThat(distortion[distortion.length - 1]).isLessThan(distortion[0]);
        }
    }

    @Test
    void heldOutPsnrRisesWithCodebookSize() {
        double previous = Double.NEGATIVE_INFINITY;
        StringBuilder report = new StringBuilder("image/patchvq held-out mean PSNR, 16x16 grid of 8x8 blocks at 128^2:");
        for (int size : new int[] {16, 64, 256, 1024}) {
            PatchVqImageCodec codec = open(size);
            double sum = 0;
            for (int index : EVALUATED) {
                FloatImage view = TrainingPhotos.workingView(photo(index), 128);
                sum += ImageQuality.psnr(view, codec.decode(codec.encode(view)));
            }
            double psnr = sum / EVALUATED.length;
            report.append(String.format(" k=%d (%d bits/image) %.2f dB;", size, 256 * codec.codebook().bitsPerToken(), psnr));
            assertThat(psnr).as(report.toString()).isGreaterThan(previous);
            previous = psnr;
        }
        System.out.println(report);
    }

    @Test
    void tokensFormATwoDimensionalGrid() {
        ImageTokens tokens = open(256).encode(photo(1));
        assertThat(tokens.gridRows()).isEqualTo(16);
        assertThat(tokens.gridCols()).isEqualTo(16);
        assertThat(tokens.tokens()).hasSize(256);
        assertThat(tokens.bitsPerToken()).isEqualTo(8);
    }

    @Test
    void wrongTokensAreClearErrors() {
        ImageCodec codec = open(256);
        ImageTokens good = codec.encode(photo(0));
        Map<String, Integer> side = good.sideInformation();
        int[] outside = good.tokens().clone();
        outside[7] = 256;
        assertThatThrownBy(() -> codec.decode(new ImageTokens(outside, 16, 16, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the codebook");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16x16 token grid");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(Arrays.copyOf(good.tokens(), 200), 16, 16, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("200 tokens");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 16, 16, 12, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bits");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 16, 16, 8, Map.of("width", 5))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height");
    }
}
