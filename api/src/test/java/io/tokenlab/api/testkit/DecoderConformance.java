package io.tokenlab.api.testkit;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks every decoder plugin must pass: length limit, vocabulary range, determinism per seed, threads. */
public abstract class DecoderConformance {
    protected abstract DecoderTechnique technique();

    protected abstract Parameters validParameters();

    protected abstract RunContext context();

    protected abstract GenerationRequest request(long seed);

    @Test
    void respectsTheLengthLimitAndVocabulary() {
        GenerationRequest req = request(1);
        Generation g = technique().generate(req, validParameters(), context());
        assertThat(g.tokens().length).isLessThanOrEqualTo(req.maxTokens());
        for (int id : g.tokens()) {
            assertThat(id).isBetween(0, req.model().vocabularySize() - 1);
        }
    }

    @Test
    void isDeterministicForAFixedSeed() {
        assertThat(technique().generate(request(7), validParameters(), context()).tokens())
                .isEqualTo(technique().generate(request(7), validParameters(), context()).tokens());
    }

    @Test
    void isSafeForConcurrentUse() throws Exception {
        int[] expected = technique().generate(request(3), validParameters(), context()).tokens();
        List<int[]> all = Concurrently.run(4, 3, () -> technique().generate(request(3), validParameters(), context()).tokens());
        assertThat(all).allSatisfy(r -> assertThat(r).isEqualTo(expected));
    }
}
