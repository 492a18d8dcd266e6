package io.tokenlab.runtime.compute;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.EnumMap;
import java.util.Map;
import java.util.Properties;

/**
 * Calibration results kept in a properties file (the bundle's data area under OSGi), keyed by the
 * backend's description, so a restart on the same machine and device does not measure again. A
 * changed device or driver changes the description and therefore measures afresh.
 */
final class CalibrationCache {
    private final Path file;

    /** @param file where to keep results, or null to keep nothing */
    CalibrationCache(Path file) {
        this.file = file;
    }

    synchronized Map<Workload, CostModel> load(String backendDescription) {
        if (file == null || !Files.isRegularFile(file)) {
            return null;
        }
        Properties p = read();
        String prefix = key(backendDescription);
        Map<Workload, CostModel> models = new EnumMap<>(Workload.class);
        for (String name : p.stringPropertyNames()) {
            if (!name.startsWith(prefix)) {
                continue;
            }
            String[] parts = name.substring(prefix.length()).split("\\.");
            try {
                Workload w = Workload.valueOf(parts[0]);
                models.computeIfAbsent(w, x -> new CostModel()).record(Long.parseLong(parts[1]),
                        Double.parseDouble(p.getProperty(name)));
            } catch (RuntimeException e) {
                return null; // a damaged entry: measure again rather than trust it
            }
        }
        return models.size() == Workload.values().length ? models : null;
    }

    synchronized void store(String backendDescription, Map<Workload, CostModel> models) {
        if (file == null) {
            return;
        }
        Properties p = Files.isRegularFile(file) ? read() : new Properties();
        String prefix = key(backendDescription);
        models.forEach((w, model) -> model.points().forEach((size, seconds) ->
                p.setProperty(prefix + w.name() + "." + size, Double.toString(seconds))));
        try {
            Files.createDirectories(file.getParent());
            try (OutputStream out = Files.newOutputStream(file)) {
                p.store(out, "tokenlab compute calibration: seconds per call, by backend, workload and size");
            }
        } catch (IOException e) {
            System.getLogger(CalibrationCache.class.getName()).log(System.Logger.Level.DEBUG,
                    "calibration not cached: " + e);
        }
    }

    private Properties read() {
        Properties p = new Properties();
        try (InputStream in = Files.newInputStream(file)) {
            p.load(in);
        } catch (IOException e) {
            return new Properties();
        }
        return p;
    }

    private static String key(String description) {
        return Integer.toHexString(description.hashCode()) + ".";
    }
}
