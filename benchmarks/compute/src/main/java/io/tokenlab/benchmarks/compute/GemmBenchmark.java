package io.tokenlab.benchmarks.compute;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
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

/** C = A B for square matrices; GFLOP/s = 2 n^3 / time (compute-vs-numpy.sh prints it). */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 3, time = 2)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
public class GemmBenchmark {
    @Param({"256", "512", "1024", "2048"})
    public int size;

    @Param({"scalar", "vector", "opencl"})
    public String backend;

    private Compute compute;
    private FloatMatrix a;
    private FloatMatrix b;
    private FloatMatrix c;

    @Setup(Level.Trial)
    public void setUp() {
        compute = Backends.open(backend);
        a = Backends.random(size, size, 1);
        b = Backends.random(size, size, 2);
        c = FloatMatrix.zeros(size, size);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Backends.close(compute);
    }

    @Benchmark
    public FloatMatrix gemm() {
        compute.gemm(false, false, 1f, a, b, 0f, c);
        return c;
    }
}
