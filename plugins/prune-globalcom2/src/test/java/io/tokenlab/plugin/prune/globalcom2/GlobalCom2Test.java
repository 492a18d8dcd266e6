package io.tokenlab.plugin.prune.globalcom2;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.PruneConformance;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.Arrays;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class GlobalCom2Test extends PruneConformance {
    private static final Compute COMPUTE = new ScalarCompute();

    @Override
    protected PruneTechnique technique() {
        return new GlobalCom2Technique();
    }

    /** A thumbnail and three crops side by side: 144 tokens are four 6x6 tiles, 16 tokens four 2x2. */
    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.25, "crop.rows", 1, "crop.cols", 3, "temperature", 10.0));
    }

    @Override
    protected RunContext context() {
        return new KitContext(COMPUTE);
    }

    @Override
    protected TokenSet tokens(int n, int d, long seed) {
        TokenSet plain = super.tokens(n, d, seed);
        Random r = new Random(seed);
        float[] scores = new float[n];
        for (int i = 0; i < n; i++) {
            scores[i] = (float) r.nextGaussian();
        }
        return new TokenSet(plain.features(), scores, 0, 0, null, null, null);
    }

    @Test
    void budgetsSumToCropsTimesBaseWhenNothingIsClipped() {
        Random r = new Random(1);
        for (int trial = 0; trial < 50; trial++) {
            int crops = 2 + r.nextInt(8);
            float[] saliency = new float[crops];
            for (int i = 0; i < crops; i++) {
                saliency[i] = (float) (r.nextGaussian() * 30);
            }
            double[] s = CropBudgets.retention(saliency, 0.25, 10, COMPUTE);
            assertThat(Arrays.stream(s).max().orElseThrow()).isLessThan(1.0);
            assertThat(Arrays.stream(s).sum()).isCloseTo(crops * 0.25, within(1e-6));
        }
        // clipped: a crop cannot keep more than all of its tokens, so the sum falls short of n * base
        double[] clipped = CropBudgets.retention(new float[] {100, 0}, 0.9, 10, COMPUTE);
        assertThat(clipped[0]).isEqualTo(1.0);
        assertThat(clipped[0] + clipped[1]).isLessThan(2 * 0.9);
    }

    @Test
    void theCropUnderTheSalientPartOfTheThumbnailKeepsMost() {
        int side = 8;
        int tile = side * side;
        Random r = new Random(2);
        float[] scores = new float[5 * tile];
        for (int i = 0; i < scores.length; i++) {
            scores[i] = (float) r.nextGaussian() * 0.1f;
        }
        // the bottom-right quarter of the thumbnail is where the [CLS] token looks
        for (int y = 4; y < 8; y++) {
            for (int x = 4; x < 8; x++) {
                scores[y * side + x] += 8f;
            }
        }
        FloatMatrix features = FloatMatrix.zeros(5 * tile, 4);
        Arrays.fill(features.data(), 1f);
        TokenSet set = new TokenSet(features, scores, 5 * side, side, null, null, null);
        Parameters twoByTwo = Parameters.of(Map.of("keep.ratio", 0.25, "crop.rows", 2, "crop.cols", 2));
        int[] kept = technique().select(set, 80, twoByTwo, context());
        int[] perTile = new int[5];
        for (int k : kept) {
            perTile[k / tile]++;
        }
        assertThat(Arrays.stream(perTile).sum()).isEqualTo(80);
        assertThat(perTile[0]).isEqualTo(16); // the thumbnail keeps base * 64
        assertThat(perTile[4]).isGreaterThan(perTile[1]).isGreaterThan(16);
        // crop 4's budget: 64 * 0.25 * (1 + softmax(S / 10)_4 - 1/4), S the thumbnail sums per quarter
        float[] thumbnail = Arrays.copyOf(scores, tile);
        ThumbnailGuide guide = new ThumbnailGuide(thumbnail, side, 2, 2);
        float[] s = new float[4];
        for (int i = 0; i < 4; i++) {
            s[i] = guide.regionSum(i);
        }
        double[] retention = CropBudgets.retention(s, 0.25, 10, COMPUTE);
        assertThat(perTile[4]).isBetween((int) Math.floor(64 * retention[3]), (int) Math.ceil(64 * retention[3]) + 1);
        // inside the thumbnail, the kept tokens are the 16 salient ones
        assertThat(Arrays.stream(kept).filter(k -> k < tile).allMatch(k -> k / side >= 4 && k % side >= 4)).isTrue();
    }

    @Test
    void upsamplingAConstantOrLinearThumbnailKeepsItsShape() {
        int side = 6;
        float[] ramp = new float[side * side];
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                ramp[y * side + x] = 2 * x + 3;
            }
        }
        ThumbnailGuide guide = new ThumbnailGuide(ramp, side, 1, 2);
        float[] left = guide.upsampledOver(0);
        // crop 0 spans thumbnail columns [0, 3): token x samples column x * 0.5 - 0.25, clamped at 0
        for (int x = 1; x < side; x++) {
            assertThat(left[x]).isCloseTo(2 * (x * 0.5f - 0.25f) + 3, within(1e-5f));
        }
        assertThat(left[0]).isEqualTo(3f);
        assertThat(guide.regionSum(0) + guide.regionSum(1)).isCloseTo(sum(ramp), within(1e-3f));
    }

    @Test
    void withoutScoresFeatureNormsStandIn() {
        TokenSet withScores = tokens(144, 8, 3);
        TokenSet without = TokenSet.of(withScores.features());
        TokenSet normsAsScores = new TokenSet(withScores.features(), COMPUTE.rowNorms(withScores.features()), 0, 0, null,
                null, null);
        assertThat(technique().select(without, 36, validParameters(), context()))
                .containsExactly(technique().select(normsAsScores, 36, validParameters(), context()));
    }

    @Test
    void apportionsExactlyTheRequestedTotal() {
        assertThat(GlobalCom2Technique.apportion(new double[] {2.5, 3.7, 1.8}, 10, 8)).containsExactly(2, 4, 2);
        assertThat(GlobalCom2Technique.apportion(new double[] {4, 10, 10}, 10, 30)).containsExactly(10, 10, 10);
    }

    @Test
    void badInputIsAClearError() {
        TokenSet good = tokens(144, 8, 4);
        assertThatThrownBy(() -> technique().select(good, 10, Parameters.of(Map.of("keep.ratio", 0.0)), context()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> technique().select(good, 10, Parameters.of(Map.of("crop.rows", 2, "crop.cols", 2)), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("144 tokens do not split");
        TokenSet wrongGrid = new TokenSet(good.features(), good.scores(), 12, 12, null, null, null);
        assertThatThrownBy(() -> technique().select(wrongGrid, 10, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("grid 12x12");
        float[] nanScores = good.scores().clone();
        nanScores[5] = Float.NaN;
        TokenSet nan = new TokenSet(good.features(), nanScores, 0, 0, null, null, null);
        assertThatThrownBy(() -> technique().select(nan, 10, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("score 5");
        assertThatThrownBy(() -> technique().select(TokenSet.of(FloatMatrix.zeros(0, 2)), 0, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("N = 0");
    }

    private static float sum(float[] v) {
        float s = 0;
        for (float x : v) {
            s += x;
        }
        return s;
    }
}
