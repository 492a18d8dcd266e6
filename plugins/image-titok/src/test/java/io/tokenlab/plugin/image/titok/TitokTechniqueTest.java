package io.tokenlab.plugin.image.titok;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.api.testkit.ImageConformance;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.plugin.image.common.BasisTrainer;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.ImageQuality;
import io.tokenlab.plugin.image.common.OrderedBasis;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TitokTechniqueTest extends ImageConformance {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    static final int RESOLUTION = 24;
    static final int[] EVALUATED = {0, 2, 3, 6, 9, 14};
    private static List<FloatImage> heldOut;

    static synchronized FloatImage photo(int index) {
        if (heldOut == null) {
            heldOut = TrainingPhotos.load(CONTEXT, TrainingPhotos.HELD_OUT_SET);
        }
        return ImageOps.rgb(heldOut.get(index));
    }

    static Parameters small(int tokens) {
        return Parameters.of(Map.of("tokens", tokens, "groups", 128, "group.size", 12, "codebook", 4096,
                "resolution", RESOLUTION, "training.samples", 2000, "iterations", 6, "seed", 1));
    }

    @Override
    protected ImageTechnique technique() {
        return new TitokTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return small(64);
    }

    @Override
    protected RunContext context() {
        return CONTEXT;
    }

    @Override
    protected FloatImage image() {
        return photo(0);
    }

    private static TitokImageCodec open(int tokens) {
        return (TitokImageCodec) new TitokTechnique().open(small(tokens), CONTEXT);
    }

    @Test
    void heldOutPsnrRisesWithTheNumberOfTokens() {
        double previous = Double.NEGATIVE_INFINITY;
        StringBuilder report = new StringBuilder("image/titok held-out mean PSNR at " + RESOLUTION + "^2:");
        for (int length : new int[] {32, 64, 128}) {
            TitokImageCodec codec = open(length);
            GroupedTokenModel model = codec.model();
            double quantised = 0;
            double unquantised = 0;
            for (int index : EVALUATED) {
                FloatImage view = model.view(photo(index));
                quantised += ImageQuality.psnr(view, codec.decode(codec.encode(view)));
                FloatMatrix row = new FloatMatrix(1, view.data().length, view.data());
                FloatMatrix c = model.basis().coefficients(COMPUTE, row, length * model.groupSize());
                FloatImage pca = ImageOps.clamp(new FloatImage(RESOLUTION, RESOLUTION, 3,
                        model.basis().reconstruct(COMPUTE, c).data()));
                unquantised += ImageQuality.psnr(view, pca);
            }
            quantised /= EVALUATED.length;
            unquantised /= EVALUATED.length;
            report.append(String.format(" L=%d (%d bits, codebooks of %d) VQ %.2f dB, unquantised PCA %.2f dB;", length,
                    length * model.bitsPerToken(), model.codebookSize(), quantised, unquantised));
            assertThat(quantised).as(report.toString()).isGreaterThan(previous);
            assertThat(quantised).as(report.toString()).isLessThanOrEqualTo(unquantised + 0.05);
            previous = quantised;
        }
        System.out.println(report);
    }

    @Test
    void chunkedBasisTrainerMatchesExactPcaOnASmallProblem() {
        FloatMatrix samples = GroupedTokenModel.sampleViews(TrainingPhotos.load(CONTEXT, TrainingPhotos.TRAINING_SET),
                8, 2000, 3);
        OrderedBasis chunked = GlobalBasisTrainer.train(COMPUTE, samples, 96, 32, 1, 5);
        OrderedBasis exact = BasisTrainer.exactPca(COMPUTE, samples, 96);
        FloatMatrix gram = COMPUTE.multiplyTransposed(chunked.components(), chunked.components());
        for (int i = 0; i < 96; i++) {
            for (int j = 0; j < 96; j++) {
                assertThat((double) gram.get(i, j)).isCloseTo(i == j ? 1 : 0, org.assertj.core.data.Offset.offset(2e-3));
            }
        }
        for (int k : new int[] {12, 32, 64, 96}) {
            double got = 0;
            double best = 0;
            for (int i = 0; i < k; i++) {
                got += chunked.variance(i);
                best += exact.variance(i);
            }
            assertThat(got).as("variance captured by %d components", k).isGreaterThanOrEqualTo(best * 0.99);
        }
    }

    @Test
    void wrongTokensAreClearErrors() {
        ImageCodec codec = open(32);
        ImageTokens good = codec.encode(photo(0));
        Map<String, Integer> side = good.sideInformation();
        int bits = good.bitsPerToken();
        int[] outside = good.tokens().clone();
        outside[3] = 1 << bits;
        assertThatThrownBy(() -> codec.decode(new ImageTokens(outside, 0, 0, bits, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the codebook");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(new int[31], 0, 0, bits, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("L = 32");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 4, 8, bits, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1-D");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, bits + 1, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("bits");
        assertThatThrownBy(() -> new TitokTechnique().open(Parameters.of(Map.of("tokens", 129, "groups", 128,
                "group.size", 12, "codebook", 4096, "resolution", RESOLUTION, "training.samples", 3000,
                "iterations", 8, "seed", 1)), CONTEXT))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("129 tokens");
    }
}
