package io.tokenlab.runtime.pipeline;

import io.tokenlab.api.testkit.Fuzz;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of every shipped pipeline file, parsed from disk as {@code check} and {@code run} do: each
 * parses or fails with a PipelineException whose problems name the file, in bounded time, and the
 * parser writes nothing. The checks against the techniques' metatypes are fuzzed on the running
 * runtime (cnf's PipelineFuzzIT).
 */
class PipelineParserFuzzTest {
    private static final Path ROOT = Path.of(System.getProperty("tokenlab.root", "../..")).toAbsolutePath().normalize();
    private static final int CASES_PER_FILE = 400;

    @Test
    void mutatedPipelineFilesFailOnlyWithPipelineErrors(@TempDir Path dir) throws IOException {
        List<Path> shipped;
        try (Stream<Path> s = Files.list(ROOT.resolve("pipelines"))) {
            shipped = s.filter(p -> p.toString().endsWith(".yaml")).sorted().collect(Collectors.toList());
        }
        assertThat(shipped).hasSizeGreaterThanOrEqualTo(5);
        Path file = dir.resolve("fuzzed.yaml");
        long seed = 7_000;
        int refused = 0;
        for (Path p : shipped) {
            Fuzz.Report r = Fuzz.run("pipeline " + p.getFileName(), Files.readAllBytes(p), seed++, CASES_PER_FILE,
                    Duration.ofSeconds(10), bytes -> {
                        Files.write(file, bytes);
                        try {
                            new PipelineParser().parse(file);
                        } finally {
                            try (Stream<Path> left = Files.list(dir)) {
                                assertThat(left).as("files after parsing").containsExactly(file);
                            }
                        }
                    }, e -> e instanceof PipelineException && !((PipelineException) e).problems().isEmpty()
                            && ((PipelineException) e).problems().stream().allMatch(pr -> pr.toString()
                            .startsWith(file.toString() + ":")));
            refused += r.refused();
        }
        assertThat(refused).as("mutants refused").isGreaterThan(shipped.size() * CASES_PER_FILE / 10);
    }
}
