package io.tokenlab.plugin.transplant.fvt;

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

import static org.assertj.core.api.Assertions.assertThat;

class FvtConformanceTest extends TransplantConformance {
    private static final LetterVocabularies DATA = new LetterVocabularies(21L);

    @Override
    protected TransplantTechnique technique() {
        return new FvtTechnique();
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
    void aNewTokenIsTheMeanOfItsLongestMatchPieces() {
        EmbeddingTable out = technique().transplant(request(), validParameters(), context());
        for (int i = 0; i < DATA.target.size(); i++) {
            String t = DATA.target.get(i);
            if (DATA.base.indexOf(t) >= 0) {
                continue;
            }
            // "abc0" splits into "ab", "c", and the digit no base token covers
            float[] a = DATA.base.vectors().rowCopy(DATA.base.indexOf(t.substring(0, 2)));
            float[] b = DATA.base.vectors().rowCopy(DATA.base.indexOf(t.substring(2, 3)));
            float[] got = out.vectors().rowCopy(i);
            for (int j = 0; j < got.length; j++) {
                assertThat(got[j]).isCloseTo((a[j] + b[j]) / 2, org.assertj.core.data.Offset.offset(1e-5f));
            }
        }
    }
}
