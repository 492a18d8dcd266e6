package io.tokenlab.runtime.cli;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

class OneShotRunTest {
    @Test
    void findsThePipelineOfARunWhereverItsOptionsAre(@TempDir Path dir) throws IOException {
        Path p = Files.writeString(dir.resolve("p.yaml"), "name: p\n");
        String f = p.toString();
        assertThat(OneShotRun.pipelineOf(new String[] {"run", f})).isEqualTo(p);
        assertThat(OneShotRun.pipelineOf(new String[] {"run", "--input", "in.txt", "--set", "a.b=c", f})).isEqualTo(p);
        assertThat(OneShotRun.pipelineOf(new String[] {"run", "--", f})).isEqualTo(p);
    }

    @Test
    void anyOtherCommandLineNeedsTheWholeFolder(@TempDir Path dir) throws IOException {
        String f = Files.writeString(dir.resolve("p.yaml"), "name: p\n").toString();
        assertThat(OneShotRun.pipelineOf(new String[] {"check", f})).isNull();
        assertThat(OneShotRun.pipelineOf(new String[] {"start"})).isNull();
        assertThat(OneShotRun.pipelineOf(new String[] {"run", "--help", f})).isNull();
        assertThat(OneShotRun.pipelineOf(new String[] {"run", dir.resolve("missing.yaml").toString()})).isNull();
        assertThat(OneShotRun.pipelineOf(new String[] {"run", dir.toString()})).isNull();
    }
}
