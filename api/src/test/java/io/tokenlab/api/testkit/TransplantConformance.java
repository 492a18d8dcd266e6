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

    /**
     * Every value at an edge of the technique's metatype (each min, max and option, the other
     * parameters as {@link #validParameters()} gives them) is one the run accepts, giving one finite
     * row per target token: what check lets through, the technique does not refuse as a bad value. A
     * {@link io.tokenlab.api.TechniqueException} about the input (this request does not suit that
     * setting) is not the value's fault and is let pass.
     */
    @Test
    void runsAtEveryBoundOfItsMetatype() {
        TransplantRequest req = request();
        for (MetatypeBounds.Bound bound : MetatypeBounds.of(technique().getClass())) {
            EmbeddingTable out;
            try {
                out = technique().transplant(req, validParameters().with(bound.id(), bound.value()), context());
            } catch (IllegalArgumentException | io.tokenlab.api.InvalidParameterException e) {
                throw new AssertionError("the metatype accepts " + bound + " but the run refuses it: " + e, e);
            } catch (io.tokenlab.api.TechniqueException inputDoesNotSuit) {
                continue;
            }
            assertThat(out.tokens()).as(bound.toString()).isEqualTo(req.targetVocabulary());
            for (float v : out.vectors().data()) {
                assertThat(Float.isFinite(v)).as(bound + ": every value finite").isTrue();
            }
        }
    }

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
