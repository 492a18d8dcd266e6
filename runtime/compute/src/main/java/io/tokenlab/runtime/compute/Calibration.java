package io.tokenlab.runtime.compute;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import java.util.EnumMap;
import java.util.Map;
import java.util.Random;

/**
 * A short measurement of one backend: each workload at a few sizes, best of three runs. A warm-up of
 * a few hundred milliseconds comes first, because the JIT compiles the SIMD kernels only after many
 * calls and the first OpenCL call builds the kernels; measured cold, the fastest backend looks slowest.
 * Sizes grow until one call would take longer than {@link #LONGEST_CALL}, so the scalar backend stops
 * early and the fast ones are measured at sizes where threading and transfers have paid off.
 */
final class Calibration {
    static final int[] PRODUCT_SIDES = {8, 32, 96, 256, 512};
    static final int[][] ROW_SHAPES = {{4, 64}, {64, 1024}, {512, 4096}};
    private static final int RUNS = 3;
    private static final double LONGEST_CALL = 0.1;
    private static final long WARM_UP_NANOS = 300_000_000L;

    private Calibration() {
    }

    static Map<Workload, CostModel> measure(Compute backend) {
        Map<Workload, CostModel> models = new EnumMap<>(Workload.class);
        Random random = new Random(7);
        warmUp(backend, random);
        CostModel product = new CostModel();
        double previous = 0;
        int previousSide = 1;
        for (int n : PRODUCT_SIDES) {
            double growth = Math.pow((double) n / previousSide, 3);
            if (previous * growth > LONGEST_CALL) {
                break;
            }
            FloatMatrix a = random(random, n, n);
            FloatMatrix b = random(random, n, n);
            FloatMatrix c = FloatMatrix.zeros(n, n);
            previous = time(() -> backend.gemm(false, false, 1f, a, b, 0f, c));
            previousSide = n;
            product.record((long) n * n * n, previous);
        }
        models.put(Workload.PRODUCT, product);
        CostModel rows = new CostModel();
        CostModel selection = new CostModel();
        for (int[] shape : ROW_SHAPES) {
            FloatMatrix x = random(random, shape[0], shape[1]);
            long elements = (long) shape[0] * shape[1];
            rows.record(elements, time(() -> backend.softmax(x)));
            selection.record(elements, time(() -> backend.topK(x, 10)));
        }
        models.put(Workload.ROWWISE, rows);
        models.put(Workload.SELECTION, selection);
        return models;
    }

    private static void warmUp(Compute backend, Random random) {
        FloatMatrix a = random(random, 96, 96);
        FloatMatrix x = random(random, 64, 1024);
        long end = System.nanoTime() + WARM_UP_NANOS;
        while (System.nanoTime() < end) {
            backend.multiply(a, a);
            backend.softmax(x);
            backend.topK(x, 10);
        }
    }

    private static double time(Runnable call) {
        call.run();
        long best = Long.MAX_VALUE;
        for (int i = 0; i < RUNS; i++) {
            long start = System.nanoTime();
            call.run();
            best = Math.min(best, System.nanoTime() - start);
        }
        return Math.max(best, 1) * 1e-9;
    }

    private static FloatMatrix random(Random random, int rows, int cols) {
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = random.nextFloat() * 2f - 1f;
        }
        return new FloatMatrix(rows, cols, d);
    }
}
