package io.tokenlab.api;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class ParametersTest {
    @interface Config {
        String vocabulary() default "cl100k_base";

        int max_chars() default 4;

        double keep$_$ratio();

        boolean lower();
    }

    @Test
    void readsThroughAnAnnotationWithMetatypeNames() {
        Config c = Parameters.of(Map.of("max.chars", "8", "keep-ratio", 0.25, "lower", "true")).as(Config.class);
        assertThat(c.vocabulary()).isEqualTo("cl100k_base");
        assertThat(c.max_chars()).isEqualTo(8);
        assertThat(c.keep$_$ratio()).isEqualTo(0.25);
        assertThat(c.lower()).isTrue();
    }

    @Test
    void namesTheParameterThatIsWrong() {
        Config c = Parameters.of(Map.of("max.chars", "eight", "lower", "maybe")).as(Config.class);
        assertThatThrownBy(c::max_chars).hasMessageContaining("max.chars").hasMessageContaining("eight");
        assertThatThrownBy(c::lower).hasMessageContaining("lower").hasMessageContaining("true, false");
        assertThatThrownBy(c::keep$_$ratio).hasMessageContaining("keep-ratio");
    }

    @Test
    void kindComesFromTheTechniqueName() {
        assertThat(Techniques.kindOf("tokenizer/bpe")).isEqualTo(Kind.TOKENIZER);
        assertThatThrownBy(() -> Techniques.kindOf("bpe")).hasMessageContaining("<kind>/<name>");
        assertThatThrownBy(() -> Techniques.kindOf("tokeniser/bpe")).hasMessageContaining("tokenizer, transplant");
    }
}
