package io.tokenlab.spark;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * The tokenlab runtime hosted in this JVM: the framework properties and bundles exported into
 * launch.jar, booted in an embedded Felix whose home folder's bundles/ holds the job's plugin jars,
 * exactly as {@code ./tokenlab run} boots them. The runtime's classes live behind the framework's
 * class loaders, so it is reached through {@link RuntimeCalls} with JDK types only.
 */
final class RuntimeHost implements AutoCloseable {
    private static final long READY_MILLIS = 60_000;

    private final Framework framework;
    private final Path workDir;
    private final RuntimeCalls calls;

    private RuntimeHost(Framework framework, Path workDir, RuntimeCalls calls) {
        this.framework = framework;
        this.workDir = workDir;
        this.calls = calls;
    }

    RuntimeCalls calls() {
        return calls;
    }

    /**
     * Boots the runtime of {@code launchJar} with {@code plugins} deployed, and waits until the first
     * pass over its bundle folder is over (every plugin started or reported).
     */
    static RuntimeHost boot(Path launchJar, List<Path> plugins) throws IOException {
        Path work = Files.createTempDirectory("tokenlab-spark");
        Path home = work.resolve("home");
        Path bundlesDir = Files.createDirectories(home.resolve("bundles"));
        Files.createDirectories(home.resolve("pipelines"));
        for (Path jar : plugins) {
            Files.copy(jar, bundlesDir.resolve(jar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        Properties launcher = new Properties();
        List<Path> bundles = new ArrayList<>();
        Path unpacked = Files.createDirectories(work.resolve("launch"));
        try (ZipFile zip = new ZipFile(launchJar.toFile())) {
            ZipEntry props = zip.getEntry("launcher.properties");
            if (props == null) {
                throw new IOException(launchJar + " has no launcher.properties: not the exported tokenlab runtime "
                        + "(cnf/target/launch.jar)");
            }
            try (InputStream in = zip.getInputStream(props)) {
                launcher.load(in);
            }
            for (String entry : launcher.getProperty("launch.bundles", "").split(",")) {
                ZipEntry z = zip.getEntry(entry.trim());
                if (z == null) {
                    throw new IOException(launchJar + " lists bundle " + entry.trim() + " but does not hold it");
                }
                Path target = unpacked.resolve(Path.of(entry.trim()).getFileName().toString());
                try (InputStream in = zip.getInputStream(z)) {
                    Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                }
                bundles.add(target);
            }
        }
        Map<String, String> config = new HashMap<>();
        for (String key : launcher.stringPropertyNames()) {
            // launch.* configures bnd's launcher; without launch.name the runtime knows it is embedded
            // and leaves this process's exit and signals alone
            if (!key.startsWith("launch.")) {
                config.put(key, launcher.getProperty(key));
            }
        }
        config.put(Constants.FRAMEWORK_STORAGE, work.resolve("storage").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("gosh.args", "--nointeractive");
        keepDataDirectory();
        // the runtime component reads its home when it activates; the JVM's own value comes back after
        String userHome = System.getProperty("tokenlab.home");
        System.setProperty("tokenlab.home", home.toString());
        Framework fw = ServiceLoader.load(FrameworkFactory.class, RuntimeHost.class.getClassLoader())
                .findFirst().orElseThrow(() -> new IllegalStateException("no OSGi framework on the class path"))
                .newFramework(config);
        try {
            fw.init();
            BundleContext ctx = fw.getBundleContext();
            List<Bundle> installed = new ArrayList<>();
            for (Path b : bundles) {
                installed.add(ctx.installBundle(b.toUri().toString()));
            }
            fw.start();
            for (Bundle b : installed) {
                if (b.getHeaders().get(Constants.FRAGMENT_HOST) == null) {
                    b.start();
                }
            }
            RuntimeCalls calls;
            try {
                calls = new RuntimeCalls(awaitRuntime(ctx), ctx);
            } finally {
                if (userHome == null) {
                    System.clearProperty("tokenlab.home");
                } else {
                    System.setProperty("tokenlab.home", userHome);
                }
            }
            calls.awaitBundles();
            return new RuntimeHost(fw, work, calls);
        } catch (Exception e) {
            stop(fw);
            deleteTree(work);
            throw new IllegalStateException("the tokenlab runtime did not start: " + e.getMessage(), e);
        }
    }

    /**
     * The data catalog's folder follows tokenlab.home; the runtime here gets a home of its own, so the
     * folder the user's runtime uses is pinned first (data sets already fetched are not fetched again).
     */
    private static void keepDataDirectory() {
        if (System.getProperty("tokenlab.data") == null && System.getProperty("tokenlab.home") != null) {
            System.setProperty("tokenlab.data", Path.of(System.getProperty("tokenlab.home")).resolve("data")
                    .toAbsolutePath().toString());
        }
    }

    private static Object awaitRuntime(BundleContext ctx) throws InterruptedException, InvalidSyntaxException {
        long deadline = System.currentTimeMillis() + READY_MILLIS;
        while (System.currentTimeMillis() < deadline) {
            ServiceReference<?>[] refs = ctx.getServiceReferences("io.tokenlab.runtime.TokenlabRuntime", null);
            if (refs != null && refs.length > 0) {
                return ctx.getService(refs[0]);
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the runtime component did not appear within " + READY_MILLIS / 1000 + " s");
    }

    private static void stop(Framework fw) {
        try {
            fw.stop();
            fw.waitForStop(20_000);
        } catch (Exception e) {
            // stopping is best effort: the JVM is going away
        }
    }

    private static void deleteTree(Path dir) {
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    public void close() {
        stop(framework);
        deleteTree(workDir);
    }
}
