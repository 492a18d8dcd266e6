package io.tokenlab.benchmarks.compute;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.compute.opencl.OpenClCompute;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import java.util.Random;

/** Backends by name, as the benchmark parameters spell them, and the random inputs they share. */
final class Backends {
    private Backends() {
    }

    static Compute open(String name) {
        return switch (name) {
            case "scalar" -> new ScalarCompute();
            case "vector" -> new VectorCompute();
            case "opencl" -> new OpenClCompute();
            default -> throw new IllegalArgumentException("unknown backend " + name);
        };
    }

    static void close(Compute compute) throws Exception {
        if (compute instanceof AutoCloseable closeable) {
            closeable.close();
        }
    }

    static FloatMatrix random(int rows, int cols, long seed) {
        Random r = new Random(seed);
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat() * 2f - 1f;
        }
        return new FloatMatrix(rows, cols, d);
    }
}
