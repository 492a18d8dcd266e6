package io.tokenlab.plugin.transplant.omp;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.TransplantConformance;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class OmpConformanceTest extends TransplantConformance {
    private static final LinearSpaces SPACES = new LinearSpaces(400, 60, 24, 16, 48, 11L);

    @Override
    protected TransplantTechnique technique() {
        return new OmpTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("k", 32));
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    @Override
    protected TransplantRequest request() {
        return SPACES.request();
    }

    @Test
    void recoversBaseVectorsExactlyWhenTheSpacesAreLinearlyRelated() {
        // the donor space has rank 24: 24 anchors represent any donor vector exactly, hence its base vector
        EmbeddingTable out = technique().transplant(request(), Parameters.of(Map.of("k", 24)), context());
        for (int i = 0; i < SPACES.trueNewBase.rows(); i++) {
            float[] got = out.vectors().rowCopy(SPACES.shared + i);
            float[] want = SPACES.trueNewBase.rowCopy(i);
            assertThat(cosine(got, want)).isGreaterThan(0.999);
        }
    }

    @Test
    void fewerAtomsThanTheRankLeaveAnError() {
        EmbeddingTable out = technique().transplant(request(), Parameters.of(Map.of("k", 4)), context());
        double worst = 1;
        for (int i = 0; i < SPACES.trueNewBase.rows(); i++) {
            worst = Math.min(worst, cosine(out.vectors().rowCopy(SPACES.shared + i), SPACES.trueNewBase.rowCopy(i)));
        }
        assertThat(worst).isLessThan(0.99);
    }

    @Test
    void refusesARequestWithoutDonorSpace() {
        TransplantRequest r = request();
        assertThatThrownBy(() -> technique().transplant(new TransplantRequest(r.base(), r.targetVocabulary(), null, null),
                validParameters(), context())).isInstanceOf(TechniqueException.class).hasMessageContaining("donor");
    }

    static double cosine(float[] a, float[] b) {
        double ab = 0;
        double aa = 0;
        double bb = 0;
        for (int i = 0; i < a.length; i++) {
            ab += a[i] * b[i];
            aa += a[i] * a[i];
            bb += b[i] * b[i];
        }
        return ab / Math.sqrt(aa * bb);
    }
}
