package io.tokenlab.spark;

import org.apache.spark.SparkFiles;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One tokenlab runtime per JVM, booted on first use from the files shipped with the job and kept for
 * every later task (and job) of this executor; the pipeline is checked here as {@code run} checks it.
 * In local mode the driver's runtime is this JVM's runtime.
 */
final class ExecutorRuntime {
    private static RuntimeHost host;
    private static final Map<String, RuntimeCalls.Checked> CHECKED = new ConcurrentHashMap<>();

    private ExecutorRuntime() {
    }

    /** The driver boots the runtime from the files it is about to ship. */
    static synchronized RuntimeCalls boot(Path launchJar, List<Path> plugins) throws IOException {
        if (host == null) {
            host = RuntimeHost.boot(launchJar, plugins);
            RuntimeHost h = host;
            Runtime.getRuntime().addShutdownHook(new Thread(h::close, "tokenlab-runtime-stop"));
        }
        return host.calls();
    }

    /** This JVM's runtime, booted from the job's shipped files when this is its first task. */
    static RuntimeCalls calls(JobSpec spec) throws IOException {
        synchronized (ExecutorRuntime.class) {
            if (host != null) {
                return host.calls();
            }
        }
        if (System.getProperty("tokenlab.data") == null) {
            // the data sets shipped with the job (DataSets) are unpacked here, each under its name
            System.setProperty("tokenlab.data", SparkFiles.getRootDirectory());
        }
        List<Path> plugins = new ArrayList<>();
        for (String name : spec.plugins()) {
            plugins.add(Path.of(SparkFiles.get(name)));
        }
        return boot(Path.of(SparkFiles.get(spec.launchJar())), plugins);
    }

    /** The job's pipeline, checked by this JVM's runtime once. */
    static RuntimeCalls.Checked pipeline(JobSpec spec, Path file) throws IOException, RuntimeCalls.PipelineRejected {
        RuntimeCalls calls = calls(spec);
        String key = file + "\u0000" + spec.overrides();
        RuntimeCalls.Checked c = CHECKED.get(key);
        if (c == null) {
            c = calls.check(file, spec.overrides());
            CHECKED.put(key, c);
        }
        return c;
    }

    /** On an executor: the shipped pipeline file. */
    static RuntimeCalls.Checked pipeline(JobSpec spec) throws IOException, RuntimeCalls.PipelineRejected {
        return pipeline(spec, Path.of(SparkFiles.get(spec.pipeline())));
    }
}
