package io.tokenlab.runtime.http;

import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class MetricsTest {
    @Test
    void countsRunsAndFailuresPerTechniqueVersionAndCumulativeBuckets() {
        Metrics m = new Metrics();
        m.recordRun("encode", Map.of("tokenize", "tokenizer/bpe@1.0.1"), true, 0.002);
        m.recordRun("encode", Map.of("tokenize", "tokenizer/bpe@1.0.1"), false, 0.2);
        m.recordRun("encode", Map.of(), false, 0.0001);
        m.recordSwap();
        String text = m.render();
        assertThat(text).contains("tokenlab_runs_total{pipeline=\"encode\",stage=\"tokenize\",technique=\"tokenizer/bpe\","
                + "version=\"1.0.1\"} 2\n");
        assertThat(text).contains("tokenlab_run_failures_total{pipeline=\"encode\",stage=\"tokenize\","
                + "technique=\"tokenizer/bpe\",version=\"1.0.1\"} 1\n");
        assertThat(text).contains("tokenlab_run_failures_total{pipeline=\"encode\",stage=\"\",technique=\"\",version=\"\"} 1\n");
        // cumulative: 0.0001 in the first bucket, 0.002 by 0.0025, 0.2 by 0.25
        assertThat(text).contains("tokenlab_run_duration_seconds_bucket{pipeline=\"encode\",le=\"5.0E-4\"} 1\n");
        assertThat(text).contains("tokenlab_run_duration_seconds_bucket{pipeline=\"encode\",le=\"0.0025\"} 2\n");
        assertThat(text).contains("tokenlab_run_duration_seconds_bucket{pipeline=\"encode\",le=\"0.25\"} 3\n");
        assertThat(text).contains("tokenlab_run_duration_seconds_count{pipeline=\"encode\"} 3\n");
        assertThat(text).contains("tokenlab_swaps_total 1\n");
    }

    @Test
    void labelValuesAreEscaped() {
        assertThat(Metrics.labels("pipeline", "a\"b\\c\nd")).isEqualTo("pipeline=\"a\\\"b\\\\c\\nd\"");
    }
}
