package io.tokenlab.plugin.lm.transformer;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

/** The generation statistics of {@link Hyperfitting}, worked by hand on short sequences. */
class HyperfittingStatisticsTest {

    @Test
    void distinctNgramsCountEachNgramOnce() {
        // 2-grams of 1 2 1 2 3: (1,2) (2,1) (1,2) (2,3): 3 distinct of 4
        assertThat(Hyperfitting.distinctNgrams(new int[]{1, 2, 1, 2, 3}, 2)).isCloseTo(0.75, within(1e-12));
        assertThat(Hyperfitting.distinctNgrams(new int[]{7, 7, 7, 7}, 1)).isCloseTo(0.25, within(1e-12));
        assertThat(Hyperfitting.distinctNgrams(new int[]{1, 2}, 4)).isEqualTo(1.0);
    }

    @Test
    void theLongestRepeatCountsOnlyGeneratedTokensAndAllowsOverlap() {
        // prompt 5 6, generated 9 5 6 9: the generated "5 6 9" stands at the start as well
        assertThat(Hyperfitting.longestRepeat(new int[]{5, 6, 9, 5, 6, 9}, 2)).isEqualTo(3);
        // a loop 1 1 1 1 after a one-token prompt: its last three tokens also stand one earlier (overlap)
        assertThat(Hyperfitting.longestRepeat(new int[]{3, 1, 1, 1, 1}, 1)).isEqualTo(3);
        // nothing repeats
        assertThat(Hyperfitting.longestRepeat(new int[]{1, 2, 3, 4}, 2)).isZero();
        // a run that starts in the prompt counts only its generated part
        assertThat(Hyperfitting.longestRepeat(new int[]{4, 5, 6, 4, 5, 6}, 5)).isEqualTo(1);
    }

    @Test
    void theRecitedRunIsTheLongestCommonRunWithAnyOfTheSet() {
        int[][] set = {{1, 2, 3, 4, 5}, {9, 8, 7}};
        assertThat(Hyperfitting.longestRunFrom(new int[]{0, 2, 3, 4, 0, 9, 8}, set)).isEqualTo(3);
        assertThat(Hyperfitting.longestRunFrom(new int[]{6, 6}, set)).isZero();
    }
}
