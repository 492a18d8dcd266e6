package io.tokenlab.plugin.image.pivots;

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
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PivotTechniqueTest extends ImageConformance {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    static final int[] EVALUATED = {0, 2, 3, 6, 9, 14};
    private static List<FloatImage> heldOut;

    static synchronized FloatImage photo(int index) {
        if (heldOut == null) {
            heldOut = TrainingPhotos.load(CONTEXT, TrainingPhotos.HELD_OUT_SET);
        }
        return ImageOps.rgb(heldOut.get(index));
    }

    static Parameters parameters(boolean residual) {
        Map<String, Object> p = new HashMap<>(Map.of("resolution", 128, "factor", 2, "pivot.block", 4,
                "residual.block", 8, "pivot.codebook", 256, "residual.codebook", 256, "iterations", 12, "seed", 1));
        p.put("residual", residual);
        return Parameters.of(p);
    }

    @Override
    protected ImageTechnique technique() {
        return new PivotTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return parameters(true);
    }

    @Override
    protected RunContext context() {
        return CONTEXT;
    }

    @Override
    protected FloatImage image() {
        return photo(0);
    }

    private static PivotImageCodec open(boolean residual) {
        return (PivotImageCodec) new PivotTechnique().open(parameters(residual), CONTEXT);
    }

    @Test
    void pivotsPlusResidualBeatPivotsAloneOnHeldOutPhotosAndBitsAreSplit() {
        PivotImageCodec full = open(true);
        PivotImageCodec pivotsOnly = open(false);
        double sumFull = 0;
        double sumPivots = 0;
        PivotImageCodec.RateSplit split = null;
        PivotImageCodec.RateSplit pivotSplit = null;
        for (int index : EVALUATED) {
            FloatImage view = TrainingPhotos.workingView(photo(index), 128);
            ImageTokens all = full.encode(view);
            ImageTokens pivots = pivotsOnly.encode(view);
            // the pivots are the first tokens of the full sequence
            assertThat(Arrays.copyOf(all.tokens(), pivots.tokens().length)).containsExactly(pivots.tokens());
            double psnrFull = ImageQuality.psnr(view, full.decode(all));
            double psnrPivots = ImageQuality.psnr(view, pivotsOnly.decode(pivots));
            assertThat(psnrFull).as("photo %d", index).isGreaterThan(psnrPivots);
            sumFull += psnrFull;
            sumPivots += psnrPivots;
            split = full.split(all);
            pivotSplit = pivotsOnly.split(pivots);
        }
        assertThat(split.pivotBits()).isEqualTo(256L * 8);
        assertThat(split.residualBits()).isEqualTo(256L * 8);
        assertThat(pivotSplit.residualBits()).isZero();
        double meanFull = sumFull / EVALUATED.length;
        double meanPivots = sumPivots / EVALUATED.length;
        System.out.printf("image/pivots held-out mean PSNR at 128^2: pivots alone (%d bits) %.2f dB; pivots + residual "
                        + "(%d pivot + %d residual bits) %.2f dB%n", pivotSplit.total(), meanPivots, split.pivotBits(),
                split.residualBits(), meanFull);
        assertThat(meanFull).isGreaterThan(meanPivots + 0.5);
    }

    @Test
    void wrongTokensAreClearErrors() {
        ImageCodec codec = open(true);
        ImageTokens good = codec.encode(photo(0));
        Map<String, Integer> side = good.sideInformation();
        int[] outside = good.tokens().clone();
        outside[300] = 256;
        assertThatThrownBy(() -> codec.decode(new ImageTokens(outside, 0, 0, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("residual token 256");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(Arrays.copyOf(good.tokens(), 300), 0, 0, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("300 tokens");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 9, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("9 bits");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 0, 0, 8, Map.of("height", 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("width");
    }
}
