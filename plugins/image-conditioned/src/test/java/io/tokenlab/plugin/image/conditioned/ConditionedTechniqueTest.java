package io.tokenlab.plugin.image.conditioned;

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

import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ConditionedTechniqueTest extends ImageConformance {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    private static List<FloatImage> heldOut;

    static synchronized List<FloatImage> heldOut() {
        if (heldOut == null) {
            heldOut = TrainingPhotos.load(CONTEXT, TrainingPhotos.HELD_OUT_SET);
        }
        return heldOut;
    }

    static Parameters parameters(int clusters) {
        return Parameters.of(Map.of("clusters", clusters, "codebook", 256, "resolution", 128, "block", 8,
                "crops", 300, "training.samples", 5000, "iterations", 12, "seed", 1));
    }

    @Override
    protected ImageTechnique technique() {
        return new ConditionedTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return parameters(4);
    }

    @Override
    protected RunContext context() {
        return CONTEXT;
    }

    @Override
    protected FloatImage image() {
        return ImageOps.rgb(heldOut().get(0));
    }

    private static ConditionedImageCodec open(int clusters) {
        return (ConditionedImageCodec) new ConditionedTechnique().open(parameters(clusters), CONTEXT);
    }

    /**
     * The TexTok claim at equal token bits: every held-out photo is coded with the same 16x16 grid of
     * 8-bit tokens by both models; the conditioned one spends 2 more side bits on the cluster id.
     */
    @Test
    void conditionedAgainstUnconditionedAtEqualTokenBitsOnHeldOutPhotos() {
        ConditionedImageCodec conditioned = open(4);
        ConditionedImageCodec unconditioned = open(1);
        assertThat(unconditioned.sideBits()).isZero();
        assertThat(conditioned.sideBits()).isEqualTo(2);
        double sumConditioned = 0;
        double sumUnconditioned = 0;
        int wins = 0;
        Map<Integer, Integer> clusterUse = new HashMap<>();
        StringBuilder perPhoto = new StringBuilder();
        List<FloatImage> photos = heldOut();
        for (int i = 0; i < photos.size(); i++) {
            FloatImage view = TrainingPhotos.workingView(ImageOps.rgb(photos.get(i)), 128);
            ImageTokens a = conditioned.encode(view);
            ImageTokens b = unconditioned.encode(view);
            assertThat(a.tokenBits()).isEqualTo(b.tokenBits());
            double pa = ImageQuality.psnr(view, conditioned.decode(a));
            double pb = ImageQuality.psnr(view, unconditioned.decode(b));
            clusterUse.merge(a.sideInformation().get("cluster"), 1, Integer::sum);
            perPhoto.append(String.format(" %d:c%d %.2f/%.2f", i, a.sideInformation().get("cluster"), pa, pb));
            sumConditioned += pa;
            sumUnconditioned += pb;
            if (pa > pb) {
                wins++;
            }
        }
        double meanConditioned = sumConditioned / photos.size();
        double meanUnconditioned = sumUnconditioned / photos.size();
        System.out.printf("image/conditioned held-out (%d photos, 2048 token bits each): conditioned %.2f dB (+2 side "
                        + "bits), unconditioned %.2f dB, conditioned better on %d; clusters used %s; per photo "
                        + "conditioned/unconditioned%s%n", photos.size(), meanConditioned, meanUnconditioned, wins,
                clusterUse, perPhoto);
        // the held-out photos fall into more than one cluster, or the condition would carry nothing
        assertThat(clusterUse).hasSizeGreaterThan(1);
        // measured: +0.06 dB, better on 10 of 16 photos: a gain within noise on 16 photos, so the test only
        // guards against the condition hurting; the report above is the honest figure
        assertThat(meanConditioned).isGreaterThan(meanUnconditioned - 0.25);
    }

    /** On the crops the codebooks were trained on, a codebook per cluster must fit better than one for all. */
    @Test
    void conditionedBeatsUnconditionedOnTheTrainingCrops() {
        ConditionedImageCodec conditioned = open(4);
        ConditionedImageCodec unconditioned = open(1);
        List<FloatImage> crops = ConditionedModel.sampleCrops(TrainingPhotos.load(CONTEXT, TrainingPhotos.TRAINING_SET),
                128, 300, 1).subList(0, 60);
        double gain = 0;
        for (FloatImage crop : crops) {
            gain += ImageQuality.psnr(crop, conditioned.decode(conditioned.encode(crop)))
                    - ImageQuality.psnr(crop, unconditioned.decode(unconditioned.encode(crop)));
        }
        System.out.printf("image/conditioned on 60 training crops: mean PSNR gain of conditioning %.2f dB%n",
                gain / crops.size());
        assertThat(gain / crops.size()).isGreaterThan(0.1);
    }

    @Test
    void wrongTokensAndConditionsAreClearErrors() {
        ImageCodec codec = open(4);
        ImageTokens good = codec.encode(image());
        Map<String, Integer> side = good.sideInformation();
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 16, 16, 8,
                Map.of("width", side.get("width"), "height", side.get("height"), "cluster", 4))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster id 4");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 16, 16, 8,
                Map.of("width", side.get("width"), "height", side.get("height")))))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("cluster");
        int[] outside = good.tokens().clone();
        outside[0] = 300;
        assertThatThrownBy(() -> codec.decode(new ImageTokens(outside, 16, 16, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside the codebook");
        assertThatThrownBy(() -> codec.decode(new ImageTokens(good.tokens(), 8, 32, 8, side)))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("16x16");
    }
}
