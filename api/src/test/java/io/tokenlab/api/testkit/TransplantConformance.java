package io.tokenlab.api.testkit;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;
import org.junit.jupiter.api.Test;

import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks every transplant plugin must pass: shape, order, finiteness, exact-match copy, determinism. */
public abstract class TransplantConformance {
    protected abstract TransplantTechnique technique();

    protected abstract Parameters validParameters();

    protected abstract RunContext context();

    /** A request on real or realistic data that the technique accepts. */
    protected abstract TransplantRequest request();

    @Test
    void returnsOneFiniteRowPerTargetTokenInOrder() {
        TransplantRequest req = request();
        EmbeddingTable out = technique().transplant(req, validParameters(), context());
        assertThat(out.tokens()).containsExactlyElementsOf(req.targetVocabulary());
        assertThat(out.dimension()).isEqualTo(req.base().dimension());
        for (float v : out.vectors().data()) {
            assertThat(Float.isFinite(v)).isTrue();
        }
    }

    @Test
    void copiesExactMatches() {
        TransplantRequest req = request();
        EmbeddingTable out = technique().transplant(req, validParameters(), context());
        List<String> target = req.targetVocabulary();
        for (int i = 0; i < target.size(); i++) {
            int j = req.base().indexOf(target.get(i));
            if (j >= 0) {
                assertThat(out.vectors().rowCopy(i)).isEqualTo(req.base().vectors().rowCopy(j));
            }
        }
    }

    @Test
    void isDeterministic() {
        TransplantRequest req = request();
        assertThat(technique().transplant(req, validParameters(), context()).vectors().data())
                .isEqualTo(technique().transplant(req, validParameters(), context()).vectors().data());
    }
}
