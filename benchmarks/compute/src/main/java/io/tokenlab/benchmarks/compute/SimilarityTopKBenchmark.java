package io.tokenlab.benchmarks.compute;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The shape of visual-token pruning: N = 2880 tokens of D = 4096 features, the N x N cosine
 * similarity and each row's top k. The scalar backend takes about a minute per call here, so it is
 * left out by default; add it with {@code -p backend=scalar}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class SimilarityTopKBenchmark {
    @Param({"2880"})
    public int tokens;

    @Param({"4096"})
    public int features;

    @Param({"32"})
    public int k;

    @Param({"vector", "opencl"})
    public String backend;

    private Compute compute;
    private FloatMatrix x;

    @Setup(Level.Trial)
    public void setUp() {
        compute = Backends.open(backend);
        x = Backends.random(tokens, features, 3);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Backends.close(compute);
    }

    @Benchmark
    public TopK similarityTopK() {
        return compute.topK(compute.cosineSimilarity(x, x), k);
    }
}
