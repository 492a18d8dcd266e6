package io.tokenlab.plugin.transplant.tokenadapt;

import io.tokenlab.plugin.transplant.common.testing.LetterVocabularies;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.TransplantConformance;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.api.transplant.TransplantRequest;
import io.tokenlab.api.transplant.TransplantTechnique;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class TokenAdaptConformanceTest extends TransplantConformance {
    private static final LetterVocabularies DATA = new LetterVocabularies(41L);

    @Override
    protected TransplantTechnique technique() {
        return new TokenAdaptTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.empty();
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    @Override
    protected TransplantRequest request() {
        return DATA.request();
    }

    @Test
    void theHybridIsTheDocumentedMixOfLocalAndGlobal() {
        Parameters open = Parameters.of(Map.of("similarity.threshold", -1.0));
        EmbeddingTable local = technique().transplant(request(), open.with("global.weight", 0.0), context());
        EmbeddingTable global = technique().transplant(request(), open.with("global.weight", 1.0), context());
        EmbeddingTable mixed = technique().transplant(request(), open, context());
        for (int i = 0; i < DATA.target.size(); i++) {
            for (int j = 0; j < DATA.base.dimension(); j++) {
                assertThat(mixed.vectors().get(i, j)).isCloseTo(0.7f * local.vectors().get(i, j)
                        + 0.3f * global.vectors().get(i, j), org.assertj.core.data.Offset.offset(1e-4f));
            }
        }
    }

    @Test
    void withOneNeighbourTheGlobalEstimateIsTheNearestOldTokenInTheAuxiliarySpace() {
        Parameters p = Parameters.of(Map.of("similarity.threshold", -1.0, "global.weight", 1.0, "top.k", 1));
        EmbeddingTable out = technique().transplant(request(), p, context());
        for (int i = 0; i < DATA.target.size(); i++) {
            String t = DATA.target.get(i);
            if (DATA.base.indexOf(t) >= 0) {
                continue;
            }
            float[] q = DATA.auxiliary.vectors().rowCopy(DATA.auxiliary.indexOf(t));
            int best = -1;
            double bestCos = -2;
            for (int o = 0; o < DATA.base.tokens().size(); o++) {
                double c = cosine(q, DATA.auxiliary.vectors().rowCopy(DATA.auxiliary.indexOf(DATA.base.tokens().get(o))));
                if (c > bestCos) {
                    bestCos = c;
                    best = o;
                }
            }
            assertThat(out.vectors().rowCopy(i)).containsExactly(DATA.base.vectors().rowCopy(best),
                    org.assertj.core.data.Offset.offset(1e-5f));
        }
    }

    @Test
    void aThresholdNoNeighbourReachesLeavesTheLocalEstimate() {
        EmbeddingTable strict = technique().transplant(request(), Parameters.of(Map.of("similarity.threshold", 1.0)), context());
        EmbeddingTable local = technique().transplant(request(), Parameters.of(Map.of("similarity.threshold", 1.0,
                "global.weight", 0.0)), context());
        assertThat(strict.vectors().data()).isEqualTo(local.vectors().data());
    }

    private static double cosine(float[] a, float[] b) {
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
