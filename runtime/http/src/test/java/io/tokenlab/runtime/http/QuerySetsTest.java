package io.tokenlab.runtime.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class QuerySetsTest {
    @Test
    void decodesRepeatedSetParametersAndIgnoresOthers() {
        assertThat(QuerySets.of("set=tokenize.vocabulary%3Do200k_base&x=1&set=a.b=c%20d"))
                .isEqualTo(Map.of("tokenize.vocabulary", "o200k_base", "a.b", "c d"));
        assertThat(QuerySets.of(null)).isEmpty();
        assertThatThrownBy(() -> QuerySets.of("set=novalue")).isInstanceOf(ApiError.class)
                .hasMessageContaining("is not stage.param=value");
    }
}
