package io.tokenlab.plugin.tokenizer.analysis;

import org.junit.jupiter.api.Test;

import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

class MetricsTest {
    @Test
    void uniformIidSourceUsesTheWholeCapacity() {
        Random r = new Random(1);
        int[] stream = new int[400_000];
        for (int i = 0; i < stream.length; i++) {
            stream[i] = r.nextInt(64);
        }
        TokenizerMetrics m = TokenizerMetrics.ofStream(stream, 800_000, 800_000, 64);
        assertThat(m.unigramEntropy()).isCloseTo(6.0, within(0.005));
        assertThat(m.efficiency()).isCloseTo(1.0, within(0.002));
        assertThat(m.renyiEfficiency()).isCloseTo(1.0, within(0.002));
        // no memory: conditioning on the previous token tells nothing
        assertThat(m.conditionalEntropies()[1]).isCloseTo(6.0, within(0.02));
        assertThat(m.bytesPerToken()).isEqualTo(2.0);
        assertThat(m.tokensPerChar()).isEqualTo(0.5);
    }

    @Test
    void markovChainHasItsAnalyticConditionalEntropy() {
        // two states, stay with probability 0.9: stationary uniform, H1 = 1 bit, H2 = h(0.1) bits
        Random r = new Random(2);
        int[] stream = new int[1_000_000];
        for (int i = 1; i < stream.length; i++) {
            stream[i] = r.nextDouble() < 0.9 ? stream[i - 1] : 1 - stream[i - 1];
        }
        double h = -(0.1 * Math.log(0.1) + 0.9 * Math.log(0.9)) / Math.log(2);
        TokenizerMetrics m = TokenizerMetrics.ofStream(stream, 1, 1, 2);
        assertThat(m.unigramEntropy()).isCloseTo(1.0, within(0.005));
        assertThat(m.conditionalEntropies()[1]).isCloseTo(h, within(0.005));
        // first order: longer contexts add nothing
        assertThat(m.conditionalEntropies()[4]).isCloseTo(h, within(0.01));
    }

    @Test
    void renyiEntropyOfAKnownDistribution() {
        // p = (1/2, 1/4, 1/4) exactly: H_2 = -log2(1/4 + 1/16 + 1/16)
        int[] stream = {0, 0, 1, 2, 0, 0, 1, 2};
        assertThat(StreamEntropy.renyi(stream, 2)).isCloseTo(-Math.log(0.375) / Math.log(2), within(1e-12));
        assertThat(StreamEntropy.blockEntropy(stream, 1)).isCloseTo(1.5, within(1e-12));
    }
}
