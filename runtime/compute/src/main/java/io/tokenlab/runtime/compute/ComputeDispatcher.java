package io.tokenlab.runtime.compute;

import io.tokenlab.api.compute.Assignment;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.ComputeBackendException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import io.tokenlab.runtime.compute.scalar.Shapes;
import java.lang.System.Logger.Level;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;

/**
 * The Compute that techniques get. For each call it picks, among the backends registered as services
 * (OpenCL, Vector API, scalar), the one whose measured cost at that operation and size is lowest, or
 * the one configured by {@value #OVERRIDE} ({@code auto|opencl|vector|scalar}, from component
 * configuration {@code compute.backend} or the framework/system property). A backend that fails is
 * reported once and the call goes to the next one; a scalar reference inside this bundle ends the chain,
 * so a call never fails for a backend's sake.
 *
 * <p>Without OSGi: {@code new ComputeDispatcher()}, {@link #addBackend}, then {@link #calibrate()}.
 */
@Component(service = {Compute.class, ComputeDispatcher.class},
        property = {Compute.BACKEND + "=auto", "service.ranking:Integer=1000"},
        configurationPid = "io.tokenlab.compute")
public final class ComputeDispatcher implements Compute {
    /** Framework or system property naming the backend to prefer. */
    public static final String OVERRIDE = "tokenlab.compute.backend";
    /** The same, as component configuration. */
    public static final String CONFIG_OVERRIDE = "compute.backend";
    public static final String AUTO = "auto";

    private static final System.Logger LOG = System.getLogger(ComputeDispatcher.class.getName());
    /** Before calibration: the order that is right on most machines for most sizes. */
    private static final List<String> UNCALIBRATED_ORDER = List.of("vector", "opencl", "scalar");

    private final List<BackendSlot> backends = new CopyOnWriteArrayList<>();
    private final Compute lastResort = new ScalarCompute();
    private volatile String override = AUTO;
    private volatile CalibrationCache cache = new CalibrationCache(null);
    private volatile ExecutorService calibrator;
    private volatile boolean calibrateOnBind;

    /** Outside OSGi the override comes from the system property; under OSGi activation reads it again. */
    public ComputeDispatcher() {
        setOverride(System.getProperty(OVERRIDE));
    }

    // ------------------------------------------------------------------ lifecycle and backends

    @Activate
    void activate(BundleContext context, Map<String, Object> config) {
        cache = new CalibrationCache(dataFile(context));
        configure(context, config);
        calibrator = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "tokenlab-compute-calibration");
            t.setDaemon(true);
            return t;
        });
        calibrateOnBind = true;
        for (BackendSlot slot : backends) {
            scheduleCalibration(slot);
        }
    }

    @Modified
    void modified(BundleContext context, Map<String, Object> config) {
        configure(context, config);
    }

    private void configure(BundleContext context, Map<String, Object> config) {
        Object configured = config == null ? null : config.get(CONFIG_OVERRIDE);
        String value = configured != null ? configured.toString() : context.getProperty(OVERRIDE);
        setOverride(value);
    }

    /**
     * The calibration outlives the process in tokenlab's data directory: the command-line launcher
     * starts every run with fresh framework storage, so the bundle's own data area would forget it.
     */
    private static Path dataFile(BundleContext context) {
        String data = context.getProperty("tokenlab.data");
        String home = context.getProperty("tokenlab.home");
        if (data != null && !data.isBlank()) {
            return Path.of(data, "compute-calibration.properties");
        }
        if (home != null && !home.isBlank()) {
            return Path.of(home, "data", "compute-calibration.properties");
        }
        java.io.File f = context.getDataFile("calibration.properties");
        return f == null ? null : f.toPath();
    }

    @Deactivate
    void deactivate() {
        calibrateOnBind = false;
        ExecutorService c = calibrator;
        if (c != null) {
            c.shutdownNow();
        }
    }

    @Reference(service = Compute.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY,
            target = "(&(" + Compute.BACKEND + "=*)(!(" + Compute.BACKEND + "=" + AUTO + ")))",
            unbind = "removeBackend")
    void bindBackend(Compute backend, Map<String, Object> properties) {
        Object ranking = properties.get("service.ranking");
        BackendSlot slot = new BackendSlot(backend, ranking instanceof Integer r ? r : 0);
        backends.add(slot);
        if (calibrateOnBind) {
            scheduleCalibration(slot);
        }
    }

    void removeBackend(Compute backend) {
        backends.removeIf(slot -> slot.compute == backend);
    }

    /** Adds a backend outside OSGi; measure it with {@link #calibrate()}. */
    public void addBackend(Compute backend, int ranking) {
        backends.add(new BackendSlot(backend, ranking));
    }

    /** {@code auto}, or the name of the backend to try first; null or blank means auto. */
    public void setOverride(String value) {
        String v = value == null || value.isBlank() ? AUTO : value.trim().toLowerCase(Locale.ROOT);
        if (!v.equals(AUTO) && !UNCALIBRATED_ORDER.contains(v)) {
            LOG.log(Level.WARNING, OVERRIDE + "=" + value + " is not one of auto, opencl, vector, scalar; using auto");
            v = AUTO;
        }
        override = v;
    }

    public String override() {
        return override;
    }

    /** Measures every backend not measured yet, on the calling thread. */
    public void calibrate() {
        for (BackendSlot slot : backends) {
            if (slot.costs == null) {
                calibrateNow(slot);
            }
        }
    }

    /** Waits for the background calibration started at activation (for the CLI and tests). */
    public boolean awaitCalibration(long timeout, TimeUnit unit) throws InterruptedException {
        ExecutorService c = calibrator;
        if (c == null) {
            return true;
        }
        Future<?> done = c.submit(() -> { });
        try {
            done.get(timeout, unit);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    private void scheduleCalibration(BackendSlot slot) {
        ExecutorService c = calibrator;
        if (c != null && !c.isShutdown()) {
            c.submit(() -> calibrateNow(slot));
        }
    }

    private void calibrateNow(BackendSlot slot) {
        try {
            slot.description = slot.compute.describe();
            Map<Workload, CostModel> cached = cache.load(slot.description);
            if (cached != null) {
                slot.costs = cached;
                return;
            }
            Map<Workload, CostModel> measured = Calibration.measure(slot.compute);
            slot.costs = measured;
            cache.store(slot.description, measured);
        } catch (ComputeBackendException e) {
            failed(slot, e);
        } catch (RuntimeException | LinkageError e) {
            failed(slot, new ComputeBackendException(slot.name, true, "calibration failed: " + e, e));
        }
    }

    // ------------------------------------------------------------------ choosing and falling back

    /** Backends in the order to try for this call: override first, then cheapest first. */
    List<BackendSlot> order(Workload workload, long size) {
        List<BackendSlot> usable = new ArrayList<>();
        for (BackendSlot slot : backends) {
            if (slot.usable()) {
                usable.add(slot);
            }
        }
        usable.sort(Comparator.comparingDouble((BackendSlot s) -> rank(s, workload, size))
                .thenComparingInt(s -> -s.ranking));
        String preferred = override;
        if (!preferred.equals(AUTO)) {
            for (int i = 0; i < usable.size(); i++) {
                if (usable.get(i).name.equals(preferred)) {
                    usable.add(0, usable.remove(i));
                    break;
                }
            }
        }
        return usable;
    }

    /** Measured seconds, or before measurement a fixed order that puts measured backends first. */
    private static double rank(BackendSlot slot, Workload workload, long size) {
        double estimate = slot.estimate(workload, size);
        if (!Double.isNaN(estimate)) {
            return estimate;
        }
        int position = UNCALIBRATED_ORDER.indexOf(slot.name);
        return 1e6 + (position < 0 ? UNCALIBRATED_ORDER.size() : position);
    }

    private <T> T dispatch(String operation, Workload workload, long size, Function<Compute, T> call) {
        for (BackendSlot slot : order(workload, size)) {
            try {
                return call.apply(slot.compute);
            } catch (IllegalArgumentException | ArithmeticException e) {
                throw e; // the caller's mistake (shapes, an indefinite matrix): every backend would say the same
            } catch (ComputeBackendException e) {
                failed(slot, e);
            } catch (RuntimeException | LinkageError e) {
                // a backend bug must not fail the call either; it is disabled like a broken device
                failed(slot, new ComputeBackendException(slot.name, true, operation + " threw " + e, e));
            }
        }
        return call.apply(lastResort);
    }

    private void failed(BackendSlot slot, ComputeBackendException e) {
        if (e.isPermanent()) {
            slot.disabledBecause = firstLine(e.getMessage());
        }
        String kind = e.isPermanent() ? "permanent" : firstLine(e.getMessage()).replaceAll("\\d+", "#");
        if (slot.warned.add(kind)) {
            LOG.log(Level.WARNING, "compute backend " + slot.name + " failed: " + e.getMessage()
                    + (e.isPermanent() ? "; it is not used again" : "; this call runs elsewhere")
                    + " (falling back to the next backend)");
        }
    }

    private static String firstLine(String s) {
        int nl = s == null ? -1 : s.indexOf('\n');
        return nl < 0 ? String.valueOf(s) : s.substring(0, nl);
    }

    // ------------------------------------------------------------------ report

    /** What was found and what is chosen for which size, for {@code ./tokenlab compute}. */
    public String report() {
        StringBuilder out = new StringBuilder();
        out.append("compute backends (").append(OVERRIDE).append('=').append(override).append(")\n");
        if (backends.isEmpty()) {
            out.append("  none registered: every call runs on the built-in scalar reference\n");
        }
        for (BackendSlot slot : backends) {
            if (slot.description.equals(slot.name)) {
                try {
                    slot.description = slot.compute.describe();
                } catch (RuntimeException e) {
                    slot.description = slot.name + ": " + e.getMessage();
                }
            }
            out.append(String.format(Locale.ROOT, "  %-7s %s%n", slot.name, slot.description));
            if (!slot.usable()) {
                out.append("          disabled: ").append(slot.disabledBecause).append('\n');
            } else if (slot.costs == null) {
                out.append("          not calibrated yet\n");
            }
        }
        out.append("chosen per operation size (estimated time per call)\n");
        for (Workload w : Workload.values()) {
            out.append(String.format(Locale.ROOT, "  %-10s", w.label()));
            for (long size : reportSizes(w)) {
                List<BackendSlot> order = order(w, size);
                String chosen = order.isEmpty() ? "scalar (built-in)" : order.get(0).name;
                double t = order.isEmpty() ? Double.NaN : order.get(0).estimate(w, size);
                out.append(String.format(Locale.ROOT, "  %s: %s%s", sizeLabel(w, size), chosen,
                        Double.isNaN(t) ? "" : String.format(Locale.ROOT, " (%s)", duration(t))));
            }
            out.append('\n');
        }
        return out.toString();
    }

    private static long[] reportSizes(Workload w) {
        return w == Workload.PRODUCT ? new long[] {16L * 16 * 16, 64L * 64 * 64, 256L * 256 * 256,
                1024L * 1024 * 1024, 4096L * 4096 * 4096} : new long[] {256, 16_384, 1L << 20, 1L << 24};
    }

    private static String sizeLabel(Workload w, long size) {
        if (w == Workload.PRODUCT) {
            return Math.round(Math.cbrt(size)) + "^3";
        }
        return size >= 1 << 20 ? (size >> 20) + "M" : size >= 1024 ? (size >> 10) + "k" : Long.toString(size);
    }

    private static String duration(double seconds) {
        if (seconds < 1e-3) {
            return String.format(Locale.ROOT, "%.0f us", seconds * 1e6);
        }
        return seconds < 1 ? String.format(Locale.ROOT, "%.1f ms", seconds * 1e3)
                : String.format(Locale.ROOT, "%.2f s", seconds);
    }

    // ------------------------------------------------------------------ Compute

    @Override
    public String name() {
        return AUTO;
    }

    @Override
    public String describe() {
        // operators asking what runs where want the calibrated answer, not "not calibrated yet"
        try {
            awaitCalibration(60, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return report().stripTrailing();
    }

    @Override
    public void gemm(boolean transposeA, boolean transposeB, float alpha, FloatMatrix a, FloatMatrix b, float beta,
                     FloatMatrix c) {
        Shapes.checkGemm(transposeA, transposeB, a, b, c);
        long size = (long) c.rows() * c.cols() * Shapes.opCols(a, transposeA);
        // a backend that fails half-way may have written part of C: each attempt starts from the original
        FloatMatrix original = beta == 0f ? null : c.copy();
        dispatch("gemm", Workload.PRODUCT, size, backend -> {
            if (original != null) {
                System.arraycopy(original.data(), 0, c.data(), 0, c.data().length);
            }
            backend.gemm(transposeA, transposeB, alpha, a, b, beta, c);
            return null;
        });
    }

    @Override
    public float[] rowNorms(FloatMatrix a) {
        return dispatch("rowNorms", Workload.ROWWISE, elements(a), backend -> backend.rowNorms(a));
    }

    @Override
    public FloatMatrix normalizeRows(FloatMatrix a) {
        return dispatch("normalizeRows", Workload.ROWWISE, elements(a), backend -> backend.normalizeRows(a));
    }

    @Override
    public FloatMatrix cosineSimilarity(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("cosineSimilarity", a, b);
        return dispatch("cosineSimilarity", Workload.PRODUCT, productSize(a, b),
                backend -> backend.cosineSimilarity(a, b));
    }

    @Override
    public FloatMatrix squaredDistances(FloatMatrix a, FloatMatrix b) {
        Shapes.checkSameCols("squaredDistances", a, b);
        return dispatch("squaredDistances", Workload.PRODUCT, productSize(a, b),
                backend -> backend.squaredDistances(a, b));
    }

    @Override
    public TopK topK(FloatMatrix a, int k) {
        Shapes.checkK(k);
        return dispatch("topK", Workload.SELECTION, elements(a), backend -> backend.topK(a, k));
    }

    @Override
    public FloatMatrix softmax(FloatMatrix logits) {
        return dispatch("softmax", Workload.ROWWISE, elements(logits), backend -> backend.softmax(logits));
    }

    @Override
    public FloatMatrix logSoftmax(FloatMatrix logits) {
        return dispatch("logSoftmax", Workload.ROWWISE, elements(logits), backend -> backend.logSoftmax(logits));
    }

    @Override
    public float[] logSumExp(FloatMatrix logits) {
        return dispatch("logSumExp", Workload.ROWWISE, elements(logits), backend -> backend.logSumExp(logits));
    }

    @Override
    public int[] argmax(FloatMatrix a) {
        return dispatch("argmax", Workload.SELECTION, elements(a), backend -> backend.argmax(a));
    }

    @Override
    public Assignment nearestCentroid(FloatMatrix points, FloatMatrix centroids) {
        Shapes.checkSameCols("nearestCentroid", points, centroids);
        return dispatch("nearestCentroid", Workload.PRODUCT, productSize(points, centroids),
                backend -> backend.nearestCentroid(points, centroids));
    }

    @Override
    public float[] columnMeans(FloatMatrix a) {
        return dispatch("columnMeans", Workload.ROWWISE, elements(a), backend -> backend.columnMeans(a));
    }

    @Override
    public FloatMatrix cholesky(FloatMatrix spd) {
        // every backend runs the same sequential loops here; the reference avoids any device round trip
        return lastResort.cholesky(spd);
    }

    @Override
    public FloatMatrix solveTriangular(FloatMatrix t, boolean lower, boolean transpose, FloatMatrix b) {
        return lastResort.solveTriangular(t, lower, transpose, b);
    }

    private static long elements(FloatMatrix a) {
        return (long) a.rows() * a.cols();
    }

    private static long productSize(FloatMatrix a, FloatMatrix b) {
        return (long) a.rows() * b.rows() * a.cols();
    }
}
