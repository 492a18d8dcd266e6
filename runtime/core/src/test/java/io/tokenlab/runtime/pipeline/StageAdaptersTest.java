package io.tokenlab.runtime.pipeline;

import io.tokenlab.api.InvalidParameterException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** How a prune stage turns keep.ratio into a count. */
class StageAdaptersTest {
    @Test
    void keepRatioRoundsAsThePapersCount() {
        assertThat(StageAdapters.keepFromRatio(576, 0.098)).isEqualTo(56); // DivPrune on LLaVA-1.5
        assertThat(StageAdapters.keepFromRatio(6, 0.098)).isEqualTo(1);
        assertThat(StageAdapters.keepFromRatio(10, 1.0)).isEqualTo(10);
        assertThat(StageAdapters.keepFromRatio(0, 0.5)).isZero(); // an empty set is the technique's to refuse
    }

    @Test
    void aRatioThatKeepsNothingIsRefusedNotAnEmptyResult() {
        assertThatThrownBy(() -> StageAdapters.keepFromRatio(1, 0.098)).isInstanceOf(InvalidParameterException.class)
                .hasMessageContaining("keep.ratio").hasMessageContaining("0.098 of 1 token keeps round(1 x 0.098) = 0")
                .hasMessageContaining("at least 0.5 for 1 token").hasMessageContaining("keep: 1..1");
        assertThatThrownBy(() -> StageAdapters.keepFromRatio(5, 0.098)).hasMessageContaining("of 5 tokens")
                .hasMessageContaining("at least 0.1 for 5 tokens").hasMessageContaining("keep: 1..5");
    }
}
