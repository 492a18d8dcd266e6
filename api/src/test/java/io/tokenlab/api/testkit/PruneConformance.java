package io.tokenlab.api.testkit;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Checks every prune plugin must pass: exact count, ascending distinct indices, determinism, threads. */
public abstract class PruneConformance {
    protected abstract PruneTechnique technique();

    protected abstract Parameters validParameters();

    protected abstract RunContext context();

    /** A token set the technique accepts (subclasses add scores, grids, layers as they need). */
    protected TokenSet tokens(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return TokenSet.of(new FloatMatrix(n, d, f));
    }

    @Test
    void keepsExactlyTheRequestedCountInOrder() {
        TokenSet set = tokens(144, 32, 1);
        for (int keep : new int[] {0, 1, 7, 72, 143, 144}) {
            int[] kept = technique().select(set, keep, validParameters(), context());
            assertThat(kept).as("keep %d", keep).hasSize(keep);
            for (int i = 1; i < kept.length; i++) {
                assertThat(kept[i]).isGreaterThan(kept[i - 1]);
            }
            for (int k : kept) {
                assertThat(k).isBetween(0, set.size() - 1);
            }
        }
    }

    @Test
    void isDeterministic() {
        TokenSet set = tokens(144, 32, 2);
        assertThat(technique().select(set, 20, validParameters(), context()))
                .isEqualTo(technique().select(set, 20, validParameters(), context()));
    }

    @Test
    void isSafeForConcurrentUse() throws Exception {
        TokenSet set = tokens(144, 32, 3);
        int[] expected = technique().select(set, 30, validParameters(), context());
        List<int[]> all = Concurrently.run(4, 10, () -> technique().select(set, 30, validParameters(), context()));
        assertThat(all).allSatisfy(r -> assertThat(r).isEqualTo(expected));
    }

    @Test
    void refusesAKeepOutsideTheSet() {
        TokenSet set = tokens(16, 8, 4);
        assertThatThrownBy(() -> technique().select(set, 17, validParameters(), context()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("17");
        assertThatThrownBy(() -> technique().select(set, -1, validParameters(), context()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("-1");
    }
}
