package io.tokenlab.benchmarks.compute;

import io.tokenlab.api.compute.Assignment;
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

/**
 * A k-means assignment step the size of an image codebook: 100k points of 64 dimensions against 4096
 * centroids. Scalar is left out by default (about a minute per call); add it with -p backend=scalar.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 1, time = 1)
@Measurement(iterations = 3, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Xmx8g"})
public class NearestCentroidBenchmark {
    @Param({"100000"})
    public int points;

    @Param({"64"})
    public int dimensions;

    @Param({"4096"})
    public int centroids;

    @Param({"vector", "opencl"})
    public String backend;

    private Compute compute;
    private FloatMatrix x;
    private FloatMatrix c;

    @Setup(Level.Trial)
    public void setUp() {
        compute = Backends.open(backend);
        x = Backends.random(points, dimensions, 4);
        c = Backends.random(centroids, dimensions, 5);
    }

    @TearDown(Level.Trial)
    public void tearDown() throws Exception {
        Backends.close(compute);
    }

    @Benchmark
    public Assignment nearestCentroid() {
        return compute.nearestCentroid(x, c);
    }
}
