package io.tokenlab.plugin.image.prefix;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.api.testkit.ImageConformance;
import io.tokenlab.plugin.image.common.BasisTrainer;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.ImageQuality;
import io.tokenlab.plugin.image.common.ModelStore;
import io.tokenlab.plugin.image.common.OrderedBasis;
import io.tokenlab.plugin.image.common.PrefixCodec;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static io.tokenlab.plugin.image.prefix.PrefixTestSupport.COMPUTE;
import static io.tokenlab.plugin.image.prefix.PrefixTestSupport.CONTEXT;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PrefixTechniqueTest extends ImageConformance {
    @Override
    protected ImageTechnique technique() {
        return new PrefixTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return PrefixTestSupport.small(128);
    }

    @Override
    protected RunContext context() {
        return CONTEXT;
    }

    @Override
    protected FloatImage image() {
        return PrefixTestSupport.photo(0);
    }

    private PrefixImageCodec open(int tokens) {
        return (PrefixImageCodec) technique().open(PrefixTestSupport.small(tokens), CONTEXT);
    }

    @Test
    void qualityRisesMonotonicallyWithPrefixLengthOnHeldOutPhotos() {
        PrefixImageCodec codec = open(1 << 20);
        for (int index : new int[] {0, 1, 2, 4}) {
            FloatImage photo = PrefixTestSupport.photo(index);
            ImageTokens all = codec.encode(photo);
            int max = all.tokens().length;
            assertThat(max).isEqualTo(256 * 16);
            double previous = -1;
            List<String> curve = new ArrayList<>();
            for (int length = 1; length <= max; length *= 2) {
                FloatImage working = codec.model().decodeWorking(COMPUTE, Arrays.copyOf(all.tokens(), length),
                        photo.width(), photo.height());
                double psnr = ImageQuality.psnr(TrainingPhotos.workingView(photo, PrefixTestSupport.RESOLUTION), working);
                curve.add(length + ":" + String.format("%.2f", psnr));
                assertThat(psnr).as("photo %d, PSNR at %d tokens after %s", index, length, curve).isGreaterThanOrEqualTo(previous);
                previous = psnr;
            }
            // every single step of the exact error curve is non-increasing, not only the powers of two
            double[] error = codec.model().encode(COMPUTE, photo).errorAfter();
            for (int k = 1; k < error.length; k++) {
                assertThat(error[k]).isLessThanOrEqualTo(error[k - 1] + 1e-6 * error[0]);
            }
        }
    }

    @Test
    void prefixErrorIsWithinOnePercentOfExactPcaAtEveryLength() {
        PrefixImageCodec codec = open(1);
        PrefixCodec model = codec.model();
        // the exact PCA of the very blocks the model was trained on
        FloatMatrix trainingBlocks = TrainingPhotos.sampleBlocks(TrainingPhotos.load(CONTEXT, TrainingPhotos.TRAINING_SET),
                PrefixTestSupport.RESOLUTION, PrefixTestSupport.BLOCK, PrefixTestSupport.SAMPLES, PrefixTestSupport.SEED);
        OrderedBasis exact = BasisTrainer.exactPca(COMPUTE, trainingBlocks, model.basis().size());
        for (int index : new int[] {0, 2, 5}) {
            FloatImage view = TrainingPhotos.workingView(PrefixTestSupport.photo(index), PrefixTestSupport.RESOLUTION);
            BlockGrid grid = model.grid(view.width(), view.height());
            double[] trained = unquantizedErrorByTokens(model.basis(), grid, view);
            double[] optimum = unquantizedErrorByTokens(exact, grid, view);
            for (int length = 1; length < trained.length; length++) {
                assertThat(trained[length]).as("photo %d, %d tokens", index, length)
                        .isLessThanOrEqualTo(optimum[length] * 1.01);
            }
        }
    }

    /** Squared error of the unquantised coefficients of each token prefix, in the codec's token order. */
    private static double[] unquantizedErrorByTokens(OrderedBasis basis, BlockGrid grid, FloatImage view) {
        FloatMatrix centred = basis.centre(grid.split(view));
        FloatMatrix c = COMPUTE.multiplyTransposed(centred, basis.components());
        int n = grid.blocks();
        int groups = basis.size() / 6;
        int[] order = grid.spreadOrder();
        double[] error = new double[groups * n + 1];
        for (float v : centred.data()) {
            error[0] += (double) v * v;
        }
        for (int t = 0; t < groups * n; t++) {
            int g = t / n;
            int b = order[t % n];
            double captured = 0;
            for (int p = 0; p < 6; p++) {
                double x = c.get(b, g * 6 + p);
                captured += x * x;
            }
            error[t + 1] = error[t] - captured;
        }
        return error;
    }

    @Test
    void entropyCodingRoundTripsAndBeatsRawBits() {
        PrefixImageCodec codec = open(2048);
        FloatImage photo = PrefixTestSupport.photo(1);
        ImageTokens tokens = codec.encode(photo);
        byte[] coded = codec.model().entropyCode(tokens.tokens(), photo.width(), photo.height());
        assertThat(codec.model().entropyDecode(coded, photo.width(), photo.height())).containsExactly(tokens.tokens());
        assertThat((long) coded.length * 8).isLessThan(tokens.tokenBits());
    }

    @Test
    void wrongTokensAreClearErrors() {
        PrefixImageCodec codec = open(64);
        ImageTokens good = codec.encode(PrefixTestSupport.photo(0));
        Map<String, Integer> side = good.sideInformation();
        int[] outside = good.tokens().clone();
        outside[3] = 64000;
        assertThatThrownBy(() -> codec.decode(new ImageTokens(outside, 0, 0, 16, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("64000").hasMessageContaining("alphabet");
        int[] negative = good.tokens().clone();
        negative[0] = -1;
        assertThatThrownBy(() -> codec.decode(new ImageTokens(negative, 0, 0, 16, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("alphabet");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(new int[4097], 0, 0, 16, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("at most 4096");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 12, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("12 bits");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 16, Map.of("width", 10))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("height");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 16, Map.of("width", 0, "height", 9))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("zero-size");
    }

    @Test
    void theTrainedModelIsCachedInTheDataDirectoryAndReused() throws Exception {
        open(8);
        try (var files = Files.list(ModelStore.directory(CONTEXT))) {
            assertThat(files.map(p -> p.getFileName().toString()))
                    .anyMatch(n -> n.startsWith("prefix-r128-b8-k96-") && n.endsWith(".model"));
        }
    }

    @Test
    void stageReportsTokensBytesPsnrAndSsim() {
        List<String> notes = new ArrayList<>();
        RunContext recording = new RunContext() {
            @Override
            public io.tokenlab.api.compute.Compute compute() {
                return COMPUTE;
            }

            @Override
            public io.tokenlab.api.DataCatalog data() {
                return CONTEXT.data();
            }

            @Override
            public io.tokenlab.api.Progress progress() {
                return io.tokenlab.api.Progress.NONE;
            }

            @Override
            public void note(String message) {
                notes.add(message);
            }

            @Override
            public String pipeline() {
                return "test";
            }

            @Override
            public String stage() {
                return "compress";
            }

            @Override
            public <T> java.util.Optional<T> technique(Class<T> type, String technique) {
                return java.util.Optional.empty();
            }
        };
        FloatImage photo = PrefixTestSupport.photo(2);
        FloatImage out = (FloatImage) new PrefixTechnique().apply(photo, PrefixTestSupport.small(512), recording);
        assertThat(out.width()).isEqualTo(photo.width());
        assertThat(notes).singleElement().asString().contains("tokens 512 of 4096", "bytes 1024 raw", "PSNR", "SSIM");
    }
}
