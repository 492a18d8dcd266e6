package io.tokenlab.runtime.pipeline;

import org.junit.jupiter.api.Test;

import java.io.StringReader;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The shape checks that need no registry. The checks against techniques run in the integration tests. */
class PipelineParserTest {
    private static PipelineDefinition parse(String yaml) throws PipelineException {
        return new PipelineParser().parse("p.yaml", new StringReader(yaml));
    }

    @Test
    void readsStagesWithPlaces() throws Exception {
        PipelineDefinition d = parse("name: encode\ndescription: d\nstages:\n  - id: tokenize\n"
                + "    technique: tokenizer/bpe\n    version: \"[1.0,2.0)\"\n    params:\n      vocabulary: cl100k_base\n"
                + "      special: [a, b]\n");
        StageDefinition s = d.stage("tokenize");
        assertThat(d.name()).isEqualTo("encode");
        assertThat(s.technique().value()).isEqualTo("tokenizer/bpe");
        assertThat(s.technique().line()).isEqualTo(5);
        assertThat(s.technique().column()).isEqualTo(16);
        assertThat(s.params().get("vocabulary").value()).isEqualTo("cl100k_base");
        assertThat(s.params().get("vocabulary").line()).isEqualTo(8);
        assertThat(s.params().get("special").value()).isEqualTo(java.util.List.of("a", "b"));
        assertThat(s.version().value()).isEqualTo("[1.0,2.0)");
    }

    @Test
    void reportsEveryShapeProblemAtOnce() {
        assertThatThrownBy(() -> parse("name: x\nstages:\n  - id: a\n    tecnique: tokenizer/bpe\n  - 3\n"))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("p.yaml:4:5: unknown stage key 'tecnique'; did you mean 'technique'?")
                .hasMessageContaining("p.yaml:3:5: stage is missing 'technique'")
                .hasMessageContaining("p.yaml:5:5: a stage is a mapping");
    }

    @Test
    void reportsDuplicateKeysAndSyntaxWithPlace() {
        assertThatThrownBy(() -> parse("name: x\nname: y\nstages: []\n"))
                .hasMessageContaining("p.yaml:2:1").hasMessageContaining("duplicate key name");
        assertThatThrownBy(() -> parse("name: x\nstages:\n  - id: [\n"))
                .hasMessageStartingWith("p.yaml:4:1: not valid YAML");
        assertThatThrownBy(() -> parse("")).hasMessageContaining("the file is empty");
        assertThatThrownBy(() -> parse("- a\n- b\n")).hasMessageContaining("a pipeline file is a mapping");
    }

    @Test
    void suggestsByEditDistance() {
        assertThat(Suggestions.closest("tokenizer/bpee", java.util.List.of("tokenizer/bpe", "prune/divprune")))
                .contains("tokenizer/bpe");
        assertThat(Suggestions.closest("zzzzzz", java.util.List.of("tokenizer/bpe"))).isEmpty();
    }
}
