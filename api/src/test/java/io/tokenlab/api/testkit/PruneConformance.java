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

    /**
     * Every value at an edge of the technique's metatype (each min, max and option, the other
     * parameters as {@link #validParameters()} gives them) is one the run accepts: what check lets
     * through, the technique does not refuse as a bad value (IllegalArgumentException or
     * InvalidParameterException). A {@link io.tokenlab.api.TechniqueException} about the input (this
     * token set does not suit that setting, e.g. a crop grid it does not split into) is not the value's
     * fault and is let pass.
     */
    @Test
    void runsAtEveryBoundOfItsMetatype() {
        TokenSet set = tokens(144, 16, 11);
        for (MetatypeBounds.Bound bound : MetatypeBounds.of(technique().getClass())) {
            Parameters p = validParameters().with(bound.id(), bound.value());
            int[] kept;
            try {
                kept = technique().select(set, 6, p, context());
            } catch (IllegalArgumentException | io.tokenlab.api.InvalidParameterException e) {
                throw new AssertionError("the metatype accepts " + bound + " but the run refuses it: " + e, e);
            } catch (io.tokenlab.api.TechniqueException inputDoesNotSuit) {
                continue;
            }
            org.assertj.core.api.Assertions.assertThat(kept).as(bound.toString()).hasSize(6);
        }
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
