package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.testkit.Fuzz;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.runtime.io.Npy;
import io.tokenlab.runtime.io.Safetensors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.SplittableRandom;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of valid embedding tables in each format the transplant techniques read (.npy, safetensors
 * F32/F16, word2vec text): each is read or refused with an IOException naming the file, in bounded
 * time, and nothing is written next to it. Fixed seeds.
 */
class TableFilesFuzzTest {
    private static final List<String> VOCABULARY = List.of("the", "Ġcat", "日本", "\"q\"", "<s>", "a b");

    private static EmbeddingTable table() {
        SplittableRandom rnd = new SplittableRandom(5);
        float[] v = new float[VOCABULARY.size() * 4];
        for (int i = 0; i < v.length; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return new EmbeddingTable(VOCABULARY, new FloatMatrix(VOCABULARY.size(), 4, v));
    }

    private static void fuzz(Path root, String fileName, byte[] valid, long seed, int cases) throws IOException {
        Path dir = Files.createDirectories(root.resolve(fileName + ".d"));
        Path file = dir.resolve(fileName);
        Fuzz.Report r = Fuzz.run(fileName, valid, seed, cases, Duration.ofSeconds(10), bytes -> {
            Files.write(file, bytes);
            try {
                TableFiles.read(file, VOCABULARY);
            } finally {
                try (Stream<Path> left = Files.list(dir)) {
                    assertThat(left).as("files after reading").containsExactly(file);
                }
            }
        }, Fuzz.refusal(IOException.class, file.toString()));
        assertThat(r.refused()).isGreaterThan(cases / 10);
    }

    @Test
    void npyTables(@TempDir Path dir) throws IOException {
        fuzz(dir, "t.npy", Npy.write(table().vectors()), 41_000, 1000);
    }

    @Test
    void safetensorsTables(@TempDir Path dir) throws IOException {
        fuzz(dir, "f32.safetensors", Safetensors.write(table(), Safetensors.DType.F32), 42_000, 800);
        fuzz(dir, "f16.safetensors", Safetensors.write(table(), Safetensors.DType.F16), 43_000, 400);
    }

    @Test
    void textTables(@TempDir Path dir) throws IOException {
        fuzz(dir, "t.vec", TextVectorsFile.write(table(), true).getBytes(java.nio.charset.StandardCharsets.UTF_8),
                44_000, 800);
    }
}
