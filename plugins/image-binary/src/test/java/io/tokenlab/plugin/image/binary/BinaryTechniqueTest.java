package io.tokenlab.plugin.image.binary;

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
import io.tokenlab.plugin.image.common.ModelStore;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BinaryTechniqueTest extends ImageConformance {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    /** Colour and grey held-out photos of different content. */
    static final int[] EVALUATED = {0, 2, 3, 6};
    private static List<FloatImage> heldOut;

    static synchronized FloatImage photo(int index) {
        if (heldOut == null) {
            heldOut = TrainingPhotos.load(CONTEXT, TrainingPhotos.HELD_OUT_SET);
        }
        return ImageOps.rgb(heldOut.get(index));
    }

    static Parameters small(int bits, int iterations) {
        return Parameters.of(Map.of("bits", bits, "token.bits", Math.min(bits, 16), "resolution", 128, "block", 8,
                "iterations", iterations, "training.samples", 6000, "seed", 1));
    }

    @Override
    protected ImageTechnique technique() {
        return new BinaryTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return small(32, 50);
    }

    @Override
    protected RunContext context() {
        return CONTEXT;
    }

    @Override
    protected FloatImage image() {
        return photo(0);
    }

    private static BinaryImageCodec open(int bits, int iterations) {
        return (BinaryImageCodec) new BinaryTechnique().open(small(bits, iterations), CONTEXT);
    }

    @Test
    void itqLossDecreasesOverIterationsAndEndsBelowUnrotatedPcaSigns() {
        for (int bits : new int[] {16, 32}) {
            ItqModel model = open(bits, 50).model();
            double[] loss = model.lossPerIteration();
            System.out.printf("image/binary %d bits: sign-PCA loss %.3f, ITQ loss per block by iteration %s%n", bits,
                    model.signPcaLoss(), Arrays.toString(Arrays.stream(loss).map(l -> Math.round(l * 1000) / 1000.0).toArray()));
            assertThat(loss).hasSize(50);
            for (int i = 1; i < loss.length; i++) {
                // each half-step of ITQ is a minimisation; only float rounding may add a hair
                assertThat(loss[i]).as("iteration %d of %s", i, Arrays.toString(loss)).isLessThanOrEqualTo(loss[i - 1] * (1 + 1e-5));
            }
            assertThat(loss[loss.length - 1]).isLessThan(loss[0]);
            assertThat(loss[loss.length - 1]).isLessThan(model.signPcaLoss());
            // the rotation stays orthogonal: R^T R = I
            var r = model.rotation();
            var rtr = COMPUTE.multiply(r.transpose(), r);
            for (int i = 0; i < bits; i++) {
                for (int j = 0; j < bits; j++) {
                    assertThat((double) rtr.get(i, j)).isCloseTo(i == j ? 1 : 0, org.assertj.core.data.Offset.offset(1e-3));
                }
            }
        }
    }

    @Test
    void heldOutPsnrRisesWithTheNumberOfBits() {
        int[] bits = {8, 16, 32, 64};
        double previous = Double.NEGATIVE_INFINITY;
        StringBuilder report = new StringBuilder("image/binary held-out mean PSNR (bits per 8x8 block, bits per 128^2 image):");
        for (int b : bits) {
            double itq = meanPsnr(open(b, 50));
            double signPca = meanPsnr(open(b, 0));
            report.append(String.format(" %d (%d bits): ITQ %.2f dB, sign-PCA %.2f dB;", b, b * 256, itq, signPca));
            // one bit per direction gains little per doubling, but it must gain
            assertThat(itq).as(report.toString()).isGreaterThan(previous + 0.1);
            // the rotation is what makes signs informative: ITQ codes decode better than plain PCA signs
            assertThat(itq).as(report.toString()).isGreaterThan(signPca);
            previous = itq;
        }
        System.out.println(report);
    }

    private static double meanPsnr(ImageCodec codec) {
        double sum = 0;
        for (int index : EVALUATED) {
            FloatImage view = TrainingPhotos.workingView(photo(index), 128);
            sum += ImageQuality.psnr(view, codec.decode(codec.encode(view)));
        }
        return sum / EVALUATED.length;
    }

    @Test
    void tokensCarryEveryBitOfEveryBlock() {
        BinaryImageCodec codec = open(32, 50);
        ImageTokens tokens = codec.encode(photo(1));
        assertThat(tokens.tokens()).hasSize(256 * 2);
        assertThat(tokens.tokenBits()).isEqualTo(256L * 32);
        assertThat(tokens.sideInformation()).containsOnlyKeys("width", "height");
    }

    @Test
    void wrongTokensAreClearErrors() {
        BinaryImageCodec codec = open(32, 50);
        ImageTokens good = codec.encode(photo(0));
        Map<String, Integer> side = good.sideInformation();
        int[] outside = good.tokens().clone();
        outside[5] = 1 << 16;
        assertThatThrownBy(() -> codec.decode(new ImageTokens(outside, 0, 0, 16, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alphabet");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(Arrays.copyOf(good.tokens(), 511), 0, 0, 16, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("511 tokens");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("8 bits");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 16, Map.of("width", 0, "height", 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero-size");
        assertThatThrownBy(() -> new BinaryTechnique().open(Parameters.of(Map.of("bits", 30, "token.bits", 16,
                "resolution", 128, "block", 8, "iterations", 50, "training.samples", 6000, "seed", 1)), CONTEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("do not split");
    }

    @Test
    void theTrainedModelIsCachedInTheDataDirectory() throws Exception {
        open(32, 50);
        try (var files = Files.list(ModelStore.directory(CONTEXT))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("binary-r128-b8-c32-i50-") && n.endsWith(".model"));
        }
    }
}
