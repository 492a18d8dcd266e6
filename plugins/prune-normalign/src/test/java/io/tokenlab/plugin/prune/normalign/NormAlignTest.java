package io.tokenlab.plugin.prune.normalign;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
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

class NormAlignTest extends PruneConformance {
    @Override
    protected PruneTechnique technique() {
        return new NormAlignTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.25));
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    @Override
    protected TokenSet tokens(int n, int d, long seed) {
        return new TokenSet(super.tokens(n, d, seed).features(), null, 0, 0, null, null, gaussian(12, d, 0.05, 0, seed + 1));
    }

    /** Rows of N(offset, scale^2) features, each row with its own random spread in [0.5, 1.5] * scale. */
    static FloatMatrix gaussian(int rows, int d, double scale, double offset, long seed) {
        Random r = new Random(seed);
        FloatMatrix m = FloatMatrix.zeros(rows, d);
        for (int i = 0; i < rows; i++) {
            double spread = scale * (0.5 + r.nextDouble());
            for (int j = 0; j < d; j++) {
                m.set(i, j, (float) (offset + spread * r.nextGaussian()));
            }
        }
        return m;
    }

    private static double mean(double[] v) {
        return Arrays.stream(v).average().orElseThrow();
    }

    @Test
    void alignedVisualNormsMatchTheTextNormInBothModes() {
        FloatMatrix visual = gaussian(576, 64, 20.0, 3.0, 1);  // projector output: inflated norms
        FloatMatrix text = gaussian(40, 64, 0.02, 0.0, 2);     // small text-embedding norms
        double textNorm = mean(NormAlignment.rowNorms(text));
        for (NormAlignment.Mode mode : NormAlignment.Mode.values()) {
            NormAlignment.Result result = NormAlignment.align(visual, text, mode, 1e-5);
            assertThat(result.ratioBefore()).as("%s", mode).isGreaterThan(100);
            assertThat(mean(NormAlignment.rowNorms(result.features()))).as("%s", mode).isCloseTo(textNorm, within(1e-4));
            assertThat(result.ratioAfter()).as("%s", mode).isCloseTo(1.0, within(1e-4));
            // the input is untouched: alignment returns new rows
            assertThat(visual.get(0, 0)).isNotEqualTo(result.features().get(0, 0));
        }
        // LayerNorm equalises token norms; the global mode keeps their spread
        double[] layer = NormAlignment.align(visual, text, NormAlignment.Mode.LAYER, 1e-5).norms();
        double[] global = NormAlignment.align(visual, text, NormAlignment.Mode.GLOBAL, 1e-5).norms();
        assertThat(Arrays.stream(layer).max().orElseThrow() / Arrays.stream(layer).min().orElseThrow()).isLessThan(1.0001);
        assertThat(Arrays.stream(global).max().orElseThrow() / Arrays.stream(global).min().orElseThrow()).isGreaterThan(2);
    }

    @Test
    void ratioBeforeIsBelowOneForDeflatedVisualNorms() {
        NormAlignment.Result result = NormAlignment.align(gaussian(50, 16, 0.1, 0, 3), gaussian(10, 16, 1.0, 0, 4),
                NormAlignment.Mode.LAYER, 1e-5);
        assertThat(result.ratioBefore()).isLessThan(1);
        assertThat(result.gain()).isGreaterThan(0);
    }

    @Test
    void keepsTheTokensWithTheLargestAlignedNorm() {
        FloatMatrix visual = gaussian(100, 32, 1.0, 0, 5);
        Random r = new Random(6);
        // tokens 10..14 carry more signal; token 50 is only shifted by a constant, which centring removes
        for (int i = 10; i < 15; i++) {
            for (int j = 0; j < 32; j++) {
                visual.set(i, j, visual.get(i, j) * 4);
            }
        }
        for (int j = 0; j < 32; j++) {
            visual.set(50, j, 0.2f * (float) r.nextGaussian() + 100f);
        }
        TokenSet set = new TokenSet(visual, null, 0, 0, null, null, gaussian(8, 32, 0.01, 0, 7));
        assertThat(technique().select(set, 5, Parameters.empty(), context())).containsExactly(10, 11, 12, 13, 14);
        assertThat(technique().select(set, 99, Parameters.empty(), context())).doesNotContain(50);
    }

    @Test
    void badInputIsAClearError() {
        TokenSet good = tokens(20, 8, 8);
        assertThatThrownBy(() -> technique().select(good, 4, Parameters.of(Map.of("keep.ratio", 0.0)), context()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> technique().select(TokenSet.of(good.features()), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("needs the text tokens");
        TokenSet wide = new TokenSet(good.features(), null, 0, 0, null, null, gaussian(3, 9, 1, 0, 9));
        assertThatThrownBy(() -> technique().select(wide, 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("3x9");
        FloatMatrix nanText = good.context().copy();
        nanText.set(1, 2, Float.NaN);
        assertThatThrownBy(() -> technique().select(new TokenSet(good.features(), null, 0, 0, null, null, nanText), 4,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("text feature (1, 2)");
        FloatMatrix nanVisual = good.features().copy();
        nanVisual.set(4, 0, Float.NaN);
        assertThatThrownBy(() -> technique().select(new TokenSet(nanVisual, null, 0, 0, null, null, good.context()), 4,
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("(4, 0)");
        assertThatThrownBy(() -> NormAlignment.align(good.features(), FloatMatrix.zeros(2, 8), NormAlignment.Mode.LAYER, 1e-5))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("norm 0");
    }

    @Test
    void theRunAcceptsTheSmallestEpsilonTheMetatypeAccepts() throws Exception {
        // the metatype bnd generated, as the runtime's check reads it
        String xml;
        try (java.io.InputStream in = NormAlignTechnique.class.getResourceAsStream(
                "/OSGI-INF/metatype/" + NormAlignTechnique.Config.class.getName() + ".xml")) {
            xml = new String(in.readAllBytes(), java.nio.charset.StandardCharsets.UTF_8);
        }
        java.util.regex.Matcher ad = java.util.regex.Pattern.compile("<AD id=\"epsilon\"[^>]* min=\"([^\"]+)\"")
                .matcher(xml);
        assertThat(ad.find()).as("epsilon's metatype declares a min").isTrue();
        String min = ad.group(1);
        TokenSet set = tokens(40, 8, 3);
        for (NormAlignment.Mode mode : NormAlignment.Mode.values()) {
            int[] kept = technique().select(set, 10, Parameters.of(Map.of("epsilon", Double.parseDouble(min),
                    "mode", mode.name())), context());
            assertThat(kept).hasSize(10).isSorted();
        }
    }
}
