package io.tokenlab.runtime.compute;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.compute.opencl.FaultyOpenCl;
import io.tokenlab.runtime.compute.opencl.OpenClCompute;
import io.tokenlab.runtime.compute.opencl.OpenClSettings;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.LogRecord;
import java.util.logging.Logger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Each way a backend can fail: the dispatcher warns once and still returns the reference's answer. */
class DispatcherFallbackTest {
    private final ScalarCompute reference = new ScalarCompute();
    private final List<String> warnings = new CopyOnWriteArrayList<>();
    private final Logger log = Logger.getLogger(ComputeDispatcher.class.getName());
    private final Handler capture = new Handler() {
        @Override
        public void publish(LogRecord r) {
            if (r.getLevel().intValue() >= Level.WARNING.intValue()) {
                warnings.add(r.getMessage());
            }
        }

        @Override
        public void flush() {
        }

        @Override
        public void close() {
        }
    };

    @BeforeEach
    void listen() {
        log.addHandler(capture);
    }

    @AfterEach
    void stopListening() {
        log.removeHandler(capture);
    }

    @Test
    void openClSwitchedOffByConfigurationFallsBackWithOneWarning() {
        OpenClCompute off = new OpenClCompute(new OpenClSettings("none", Long.MAX_VALUE));
        ComputeDispatcher dispatcher = dispatcherWith(off, "opencl");
        FloatMatrix a = random(37, 29);
        FloatMatrix b = random(29, 41);
        for (int i = 0; i < 3; i++) {
            assertClose(reference.multiply(a, b), dispatcher.multiply(a, b));
            assertThat(dispatcher.softmax(a).data()).containsExactly(reference.softmax(a).data(),
                    org.assertj.core.data.Offset.offset(1e-6f));
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("opencl").contains("tokenlab.opencl.device=none");
        assertThat(dispatcher.report()).contains("disabled").contains("tokenlab.opencl.device=none");
    }

    @Test
    void kernelThatDoesNotCompileFallsBack() {
        OpenClCompute broken = FaultyOpenCl.withBrokenKernel();
        ComputeDispatcher dispatcher = dispatcherWith(broken, "opencl");
        FloatMatrix a = random(20, 30);
        FloatMatrix b = random(25, 30);
        assertClose(reference.cosineSimilarity(a, b), dispatcher.cosineSimilarity(a, b));
        assertClose(reference.cosineSimilarity(a, b), dispatcher.cosineSimilarity(a, b));
        assertThat(warnings).hasSize(1);
        // without any OpenCL platform the build is never reached; the warning then names that instead
        assertThat(warnings.get(0)).containsAnyOf("kernel build failed", "no OpenCL", "could not be loaded");
        broken.close();
    }

    @Test
    void bufferTooLargeForTheDeviceFallsBackForThatCallOnly() {
        OpenClCompute small = new OpenClCompute(new OpenClSettings("", 64 * 1024));
        ComputeDispatcher dispatcher = dispatcherWith(small, "opencl");
        FloatMatrix big = random(200, 100);
        FloatMatrix bigB = random(100, 90);
        assertClose(reference.multiply(big, bigB), dispatcher.multiply(big, bigB));
        assertClose(reference.multiply(big, bigB), dispatcher.multiply(big, bigB));
        assertThat(warnings).hasSize(1);
        assertThat(dispatcher.report()).doesNotContain("disabled");
        small.close();
    }

    @Test
    void backendThatThrowsIsDisabledAndTheCallStillSucceeds() {
        Compute buggy = throwingBackend("vector");
        ComputeDispatcher dispatcher = dispatcherWith(buggy, "vector");
        FloatMatrix a = random(5, 7);
        assertThat(dispatcher.argmax(a)).containsExactly(reference.argmax(a));
        assertThat(dispatcher.rowNorms(a)).containsExactly(reference.rowNorms(a));
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).contains("IllegalStateException");
    }

    @Test
    void callersMistakesAreNotSwallowedByFallback() {
        ComputeDispatcher dispatcher = dispatcherWith(new ScalarCompute(), "auto");
        assertThatThrownBy(() -> dispatcher.multiply(random(2, 3), random(4, 2)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> dispatcher.cholesky(new FloatMatrix(1, 1, new float[] {-1f})))
                .isInstanceOf(ArithmeticException.class);
        assertThat(warnings).isEmpty();
    }

    @Test
    void noBackendAtAllStillComputes() {
        ComputeDispatcher dispatcher = new ComputeDispatcher();
        FloatMatrix a = random(4, 4);
        assertClose(reference.multiply(a, a), dispatcher.multiply(a, a));
        assertThat(dispatcher.report()).contains("none registered");
    }

    @Test
    void gemmWithBetaRetriesFromTheOriginalC() {
        OpenClCompute small = new OpenClCompute(new OpenClSettings("", 64 * 1024));
        ComputeDispatcher dispatcher = dispatcherWith(small, "opencl");
        FloatMatrix a = random(200, 100);
        FloatMatrix b = random(100, 90);
        FloatMatrix c0 = random(200, 90);
        FloatMatrix expected = c0.copy();
        reference.gemm(false, false, 1.5f, a, b, 0.5f, expected);
        FloatMatrix actual = c0.copy();
        dispatcher.gemm(false, false, 1.5f, a, b, 0.5f, actual);
        assertClose(expected, actual);
        small.close();
    }

    private static ComputeDispatcher dispatcherWith(Compute first, String override) {
        ComputeDispatcher dispatcher = new ComputeDispatcher();
        dispatcher.addBackend(new ScalarCompute(), 10);
        dispatcher.addBackend(first, 30);
        dispatcher.setOverride(override.equals("auto") ? "auto" : first.name());
        return dispatcher;
    }

    private static FloatMatrix random(int rows, int cols) {
        Random r = new Random(rows * 31L + cols);
        float[] d = new float[rows * cols];
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat() - 0.5f;
        }
        return new FloatMatrix(rows, cols, d);
    }

    private static void assertClose(FloatMatrix expected, FloatMatrix actual) {
        assertThat(actual.rows()).isEqualTo(expected.rows());
        assertThat(actual.cols()).isEqualTo(expected.cols());
        assertThat(actual.data()).containsExactly(expected.data(), org.assertj.core.data.Offset.offset(1e-4f));
    }

    /** A backend with a bug: every operation throws. */
    private static Compute throwingBackend(String name) {
        return (Compute) java.lang.reflect.Proxy.newProxyInstance(Compute.class.getClassLoader(),
                new Class<?>[] {Compute.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "name" -> name;
                    case "describe" -> name + ": a backend with a bug";
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "equals" -> proxy == args[0];
                    default -> throw new IllegalStateException("bug in " + method.getName());
                });
    }
}
