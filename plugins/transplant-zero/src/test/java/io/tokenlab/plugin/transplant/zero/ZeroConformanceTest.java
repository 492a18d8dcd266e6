package io.tokenlab.plugin.transplant.zero;

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

class ZeroConformanceTest extends TransplantConformance {
    /** The letter vocabularies of transplant/mean's conformance test, with its seed. */
    static final LetterVocabularies DATA = new LetterVocabularies(31L);

    @Override
    protected TransplantTechnique technique() {
        return new ZeroTechnique();
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
    void newTokensAreZeroAndCaseFoldedOnesAreCopiedWhenAsked() {
        LetterVocabularies data = DATA;
        java.util.List<String> target = new java.util.ArrayList<>(data.target);
        target.add("AB");
        TransplantRequest r = new TransplantRequest(data.base, target, null, null);
        EmbeddingTable plain = technique().transplant(r, validParameters(), context());
        EmbeddingTable folded = technique().transplant(r, Parameters.of(Map.of("case.insensitive", true)), context());
        int last = target.size() - 1;
        assertThat(plain.vectors().rowCopy(last)).containsOnly(0f);
        assertThat(folded.vectors().rowCopy(last)).isEqualTo(data.base.vectors().rowCopy(data.base.indexOf("ab")));
    }
}
