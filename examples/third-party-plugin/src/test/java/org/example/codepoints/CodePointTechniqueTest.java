package org.example.codepoints;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.TokenizerConformance;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The conformance kit for tokenizers, plus this technique's own property. */
class CodePointTechniqueTest extends TokenizerConformance {
    @Override
    protected TokenizerTechnique technique() {
        return new CodePointTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.empty();
    }

    @Override
    protected Parameters invalidParameters() {
        return Parameters.of(Map.of("lowercase", "perhaps"));
    }

    @Override
    protected String invalidValue() {
        return "perhaps";
    }

    @Override
    protected RunContext context() {
        return new KitContext(null);
    }

    @Test
    void oneTokenPerCodePoint() {
        assertThat(open().encode("a😀b")).containsExactly('a', 0x1F600, 'b');
    }
}
