package io.tokenlab.plugin.transplant.mean;

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

class MeanConformanceTest extends TransplantConformance {
    static final LetterVocabularies DATA = new LetterVocabularies(31L);

    @Override
    protected TransplantTechnique technique() {
        return new MeanTechnique();
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
    void newTokensGetTheColumnMeanOfTheBaseTable() {
        EmbeddingTable out = technique().transplant(request(), validParameters(), context());
        int d = DATA.base.dimension();
        double[] mean = new double[d];
        for (int i = 0; i < DATA.base.tokens().size(); i++) {
            for (int j = 0; j < d; j++) {
                mean[j] += DATA.base.vectors().get(i, j) / DATA.base.tokens().size();
            }
        }
        for (int i = 0; i < DATA.target.size(); i++) {
            if (DATA.base.indexOf(DATA.target.get(i)) < 0) {
                for (int j = 0; j < d; j++) {
                    assertThat((double) out.vectors().get(i, j)).isCloseTo(mean[j], org.assertj.core.data.Offset.offset(1e-5));
                }
            }
        }
    }
}
