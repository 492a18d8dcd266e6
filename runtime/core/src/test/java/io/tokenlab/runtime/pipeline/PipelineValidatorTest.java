package io.tokenlab.runtime.pipeline;

import io.tokenlab.runtime.registry.EmptyFramework;
import io.tokenlab.runtime.registry.TechniqueRegistry;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.Bundle;
import org.osgi.framework.ServiceRegistration;

import java.io.StringReader;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Every check of a pipeline file before it runs, against a registry on a real framework. */
class PipelineValidatorTest {
    @TempDir
    Path storage;
    private EmptyFramework framework;
    private TechniqueRegistry registry;
    private PipelineValidator validator;
    private ServiceRegistration<?> tokenizer;

    @BeforeEach
    void start() throws Exception {
        framework = new EmptyFramework(storage);
        registry = new TechniqueRegistry(framework.context(), null, Map::of);
        validator = new PipelineValidator(registry);
        Bundle b = framework.bundle("fixture", "1.2.0");
        tokenizer = EmptyFramework.offer(b, "tokenizer/fixture", "t", Map.of());
        EmptyFramework.offer(b, "prune/fixture", "p", Map.of());
    }

    @AfterEach
    void stop() throws Exception {
        registry.close();
        framework.close();
    }

    private CheckedPipeline check(String yaml, Map<String, String> overrides) throws PipelineException {
        return validator.check(new PipelineParser().parse("p.yaml", new StringReader(yaml)), overrides);
    }

    private static String stages(String... lines) {
        return "name: x\nstages:\n" + String.join("\n", lines) + "\n";
    }

    @Test
    void aValidPipelineIsCheckedWithItsPorts() throws Exception {
        CheckedPipeline p = check(stages("  - id: a", "    technique: tokenizer/fixture", "    version: \"[1.0,2.0)\""),
                Map.of());
        assertThat(p.stages()).singleElement().satisfies(s -> {
            assertThat(s.technique()).isEqualTo("tokenizer/fixture");
            assertThat(s.inputPort()).isEqualTo("text");
            assertThat(s.outputPort()).isEqualTo("token-ids");
        });
    }

    @Test
    void anUnknownTechniqueIsNamedWithPlaceAndSuggestion() {
        assertThatThrownBy(() -> check(stages("  - id: a", "    technique: tokenizer/fixtur"), Map.of()))
                .isInstanceOf(PipelineException.class)
                .hasMessageContaining("p.yaml:4:16")
                .hasMessageContaining("unknown technique 'tokenizer/fixtur'; did you mean 'tokenizer/fixture'?")
                .hasMessageContaining("installed: ");
    }

    @Test
    void aRemovedTechniqueIsUnavailableNotUnknown() {
        tokenizer.unregister();
        assertThatThrownBy(() -> check(stages("  - id: a", "    technique: tokenizer/fixture"), Map.of()))
                .hasMessageContaining("technique 'tokenizer/fixture' is unavailable (");
    }

    @Test
    void versionProblemsListWhatIsInstalled() {
        assertThatThrownBy(() -> check(stages("  - id: a", "    technique: tokenizer/fixture", "    version: \"[2.0,3.0)\""),
                Map.of())).hasMessageContaining("p.yaml:5:14").hasMessageContaining("installed: 1.2.0");
        assertThatThrownBy(() -> check(stages("  - id: a", "    technique: tokenizer/fixture", "    version: \"[2.0\""),
                Map.of())).hasMessageContaining("is not an OSGi version range");
    }

    @Test
    void duplicateIdsAndEveryProblemAreReportedTogether() {
        assertThatThrownBy(() -> check(stages("  - id: a", "    technique: tokenizer/fixture", "  - id: a",
                "    technique: tokenizer/nothing"), Map.of()))
                .satisfies(e -> assertThat(((PipelineException) e).problems()).hasSize(2))
                .hasMessageContaining("duplicate stage id 'a'")
                .hasMessageContaining("unknown technique 'tokenizer/nothing'");
    }

    @Test
    void portsMustConnect() {
        assertThatThrownBy(() -> check(stages("  - id: a", "    technique: tokenizer/fixture", "  - id: b",
                "    technique: tokenizer/fixture"), Map.of()))
                .hasMessageContaining("port type mismatch: 'tokenizer/fixture' takes text but stage 'a' gives token-ids");
        assertThatThrownBy(() -> check(stages("  - id: a", "    technique: tokenizer/fixture", "    input: later"),
                Map.of())).hasMessageContaining("input 'later' does not name an earlier stage; earlier stages: none");
    }

    @Test
    void overridesNameTheirStageAndForm() {
        String one = stages("  - id: a", "    technique: tokenizer/fixture");
        assertThatThrownBy(() -> check(one, Map.of("nodot", "1"))).hasMessageContaining("expected stage.param=value");
        assertThatThrownBy(() -> check(one, Map.of("b.width", "1")))
                .hasMessageContaining("no stage 'b' in p.yaml; stages: a");
        // a technique without a metatype takes no parameters, so an override is an unknown parameter
        assertThatThrownBy(() -> check(one, Map.of("a.width", "1")))
                .hasMessageContaining("--set a.width=1").hasMessageContaining("unknown parameter 'width'")
                .hasMessageContaining("it takes no parameters");
    }
}
