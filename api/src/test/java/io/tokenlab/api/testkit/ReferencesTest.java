package io.tokenlab.api.testkit;

import org.junit.jupiter.api.Test;
import org.opentest4j.TestAbortedException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ReferencesTest {
    @Test
    void missingReferenceFailsWhenRequiredAndNamesThePackage() {
        assertThatThrownBy(() -> References.require(false, "PyTorch", "python3-torch", true))
                .isInstanceOf(AssertionError.class)
                .hasMessageContaining("python3-torch").hasMessageContaining(References.REQUIRE);
    }

    @Test
    void missingReferenceSkipsOutsideCiAndSaysWhatToInstall() {
        assertThatThrownBy(() -> References.require(false, "the program spm_encode", "sentencepiece", false))
                .isInstanceOf(TestAbortedException.class)
                .hasMessageContaining("apt-get install sentencepiece");
    }

    @Test
    void presentReferenceNeitherFailsNorSkips() {
        assertThatCode(() -> References.require(true, "numpy", "python3-numpy", true)).doesNotThrowAnyException();
        assertThatCode(() -> References.require(true, "numpy", "python3-numpy", false)).doesNotThrowAnyException();
    }

    @Test
    void onlyExplicitValuesSwitchTheRequirementOn() {
        assertThat(References.truthy("1")).isTrue();
        assertThat(References.truthy("true")).isTrue();
        assertThat(References.truthy(null)).isFalse();
        assertThat(References.truthy("")).isFalse();
        assertThat(References.truthy("0")).isFalse();
        assertThat(References.truthy("FALSE")).isFalse();
    }

    @Test
    void findsProgramsOnThePath() {
        assertThat(References.onPath("sh")).isTrue();
        assertThat(References.onPath("no-such-program-tokenlab")).isFalse();
    }

    @Test
    void missingProgramIsReportedThroughTheSameDecision() {
        if (References.required()) {
            assertThatThrownBy(() -> References.requireProgram("no-such-program-tokenlab", "none"))
                    .isInstanceOf(AssertionError.class);
        } else {
            assertThatThrownBy(() -> References.requireProgram("no-such-program-tokenlab", "none"))
                    .isInstanceOf(TestAbortedException.class);
        }
    }
}
