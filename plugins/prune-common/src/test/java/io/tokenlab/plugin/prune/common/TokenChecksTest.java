package io.tokenlab.plugin.prune.common;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.TokenSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TokenChecksTest {
    private static TokenSet tokens(int n, int d) {
        float[] data = new float[n * d];
        for (int i = 0; i < data.length; i++) {
            data[i] = (float) Math.sin(i);
        }
        return TokenSet.of(new FloatMatrix(n, d, data));
    }

    @Test
    void acceptsEveryKeepFromZeroToTheSetSize() {
        TokenSet set = tokens(5, 3);
        for (int keep = 0; keep <= 5; keep++) {
            int k = keep;
            assertThatCode(() -> TokenChecks.check(set, k, Parameters.empty())).doesNotThrowAnyException();
        }
    }

    @Test
    void refusesAKeepOutsideTheSetAsTheKindsContractSays() {
        TokenSet set = tokens(5, 3);
        assertThatThrownBy(() -> TokenChecks.check(set, 6, Parameters.empty()))
                .isExactlyInstanceOf(IllegalArgumentException.class).hasMessageContaining("outside [0, 5]");
        assertThatThrownBy(() -> TokenChecks.check(set, -1, Parameters.empty()))
                .isExactlyInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void refusesAKeepRatioOutsideTheHalfOpenUnitInterval() {
        TokenSet set = tokens(4, 2);
        for (double bad : new double[] {0.0, -0.5, 1.0000001, Double.NaN}) {
            assertThatThrownBy(() -> TokenChecks.check(set, 1, Parameters.of(Map.of("keep.ratio", bad))))
                    .isInstanceOf(InvalidParameterException.class).hasMessageContaining("keep.ratio");
        }
        assertThatCode(() -> TokenChecks.check(set, 1, Parameters.of(Map.of("keep.ratio", 1.0))))
                .doesNotThrowAnyException();
    }

    @Test
    void refusesAnEmptySetAMissingSetAndFeaturesWithoutADimension() {
        assertThatThrownBy(() -> TokenChecks.check(null, 0, Parameters.empty())).isInstanceOf(TechniqueException.class);
        assertThatThrownBy(() -> TokenChecks.check(tokens(0, 3), 0, Parameters.empty()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("empty");
        assertThatThrownBy(() -> TokenChecks.check(tokens(3, 0), 1, Parameters.empty()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("without a dimension");
    }

    @Test
    void namesTheCellThatIsNotAFiniteNumber() {
        float[] data = new float[6];
        data[5] = Float.NaN;
        TokenSet set = TokenSet.of(new FloatMatrix(3, 2, data));
        assertThatThrownBy(() -> TokenChecks.check(set, 1, Parameters.empty()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("feature (2, 1) is NaN");
        float[] context = {1, Float.POSITIVE_INFINITY};
        assertThatThrownBy(() -> TokenChecks.finite("text feature", new FloatMatrix(1, 2, context)))
                .hasMessageContaining("text feature (0, 1) is Infinity");
    }

    @Test
    void rankingKeepsTheLargestScoresInTokenOrderWithEarlierTokensWinningTies() {
        double[] scores = {0.5, 2.0, 0.5, 3.0, 0.5, -1.0};
        assertThat(Ranking.topAscending(scores, 2)).containsExactly(1, 3);
        // three tokens tie at 0.5 for the last place: the earliest one is kept
        assertThat(Ranking.topAscending(scores, 3)).containsExactly(0, 1, 3);
        assertThat(Ranking.topAscending(scores, 0)).isEmpty();
        assertThat(Ranking.topAscending(scores, 6)).containsExactly(0, 1, 2, 3, 4, 5);
    }
}
