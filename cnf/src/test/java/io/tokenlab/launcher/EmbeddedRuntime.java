package io.tokenlab.launcher;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.launch.Framework;
import org.osgi.framework.launch.FrameworkFactory;

import java.io.IOException;
import java.io.InputStream;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.ServiceLoader;
import java.util.zip.ZipEntry;
import java.util.zip.ZipFile;

/**
 * Boots the exported runtime (the bundles and framework properties inside launch.jar) in this JVM,
 * with a home folder of its own, and talks to it through its shell commands, as an operator would.
 */
final class EmbeddedRuntime implements AutoCloseable {
    static final Path ROOT = Path.of(System.getProperty("tokenlab.root", "..")).toAbsolutePath().normalize();
    static final Path LAUNCH_JAR = ROOT.resolve("cnf/target/launch.jar");

    private final Framework framework;
    private final Path home;
    private final double readySeconds;

    private EmbeddedRuntime(Framework framework, Path home, double readySeconds) {
        this.framework = framework;
        this.home = home;
        this.readySeconds = readySeconds;
    }

    static EmbeddedRuntime boot(Path home) throws Exception {
        long t0 = System.nanoTime();
        Files.createDirectories(home.resolve("bundles"));
        Files.createDirectories(home.resolve("pipelines"));
        Path unpacked = Files.createTempDirectory("tokenlab-launch");
        Properties launcher = new Properties();
        List<Path> bundles = new ArrayList<>();
        try (ZipFile zip = new ZipFile(LAUNCH_JAR.toFile())) {
            try (InputStream in = zip.getInputStream(zip.getEntry("launcher.properties"))) {
                launcher.load(in);
            }
            for (String entry : launcher.getProperty("launch.bundles").split(",")) {
                ZipEntry z = zip.getEntry(entry.trim());
                Path target = unpacked.resolve(Path.of(entry.trim()).getFileName());
                try (InputStream in = zip.getInputStream(z)) {
                    Files.copy(in, target);
                }
                bundles.add(target);
            }
        }
        Map<String, String> config = new HashMap<>();
        for (String key : launcher.stringPropertyNames()) {
            if (!key.startsWith("launch.")) {
                config.put(key, launcher.getProperty(key));
            }
        }
        config.put(Constants.FRAMEWORK_STORAGE, unpacked.resolve("storage").toString());
        config.put(Constants.FRAMEWORK_STORAGE_CLEAN, Constants.FRAMEWORK_STORAGE_CLEAN_ONFIRSTINIT);
        config.put("gosh.args", "--nointeractive");
        System.setProperty("tokenlab.home", home.toString());
        System.setProperty("tokenlab.bundles.poll", "100");
        System.setProperty("tokenlab.pipelines.poll", "100");
        FrameworkFactory factory = ServiceLoader.load(FrameworkFactory.class).iterator().next();
        Framework fw = factory.newFramework(config);
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
        EmbeddedRuntime rt = new EmbeddedRuntime(fw, home, 0);
        rt.commands(); // waits for the runtime component
        rt.awaitIdle();
        return new EmbeddedRuntime(fw, home, (System.nanoTime() - t0) / 1e9);
    }

    double readySeconds() {
        return readySeconds;
    }

    Path home() {
        return home;
    }

    BundleContext context() {
        return framework.getBundleContext();
    }

    Object commands() throws InterruptedException {
        long deadline = System.currentTimeMillis() + 20_000;
        while (System.currentTimeMillis() < deadline) {
            try {
                ServiceReference<?>[] refs = context().getServiceReferences((String) null, "(osgi.command.scope=tokenlab)");
                if (refs != null && refs.length > 0) {
                    return context().getService(refs[0]);
                }
            } catch (org.osgi.framework.InvalidSyntaxException e) {
                throw new IllegalStateException(e);
            }
            Thread.sleep(10);
        }
        throw new IllegalStateException("the runtime's shell commands did not appear within 20 s");
    }

    /** Calls a tokenlab shell command (tokenlab:plugins, tokenlab:run, ...) and returns its text. */
    String shell(String command, String... args) throws Exception {
        Object c = commands();
        Class<?>[] types = new Class<?>[args.length];
        java.util.Arrays.fill(types, String.class);
        Method m = c.getClass().getMethod(command, types);
        return (String) m.invoke(c, (Object[]) args);
    }

    /** Waits until the bundle folder has been scanned and no deployment is in progress. */
    void awaitIdle() throws Exception {
        long deadline = System.currentTimeMillis() + 30_000;
        while (System.currentTimeMillis() < deadline) {
            boolean busy = false;
            for (Bundle b : context().getBundles()) {
                if (b.getState() == Bundle.STARTING || b.getState() == Bundle.STOPPING) {
                    busy = true;
                }
            }
            if (!busy) {
                Thread.sleep(250); // two polls of the folder
                return;
            }
            Thread.sleep(20);
        }
    }

    /** Deploys a jar the way the README says: write a temporary file, then rename it into bundles/. */
    Path deploy(Path jar, String name) throws IOException {
        return deploy(home, jar, name);
    }

    /** {@link #deploy(Path, String)} into the runtime home {@code home}, for every way tests start one. */
    static Path deploy(Path home, Path jar, String name) throws IOException {
        Path tmp = home.resolve("bundles").resolve("." + name + ".tmp");
        Files.copy(jar, tmp, StandardCopyOption.REPLACE_EXISTING);
        Path target = home.resolve("bundles").resolve(name);
        Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        return target;
    }

    void writePipeline(String fileName, String yaml) throws IOException {
        writePipeline(home, fileName, yaml);
    }

    /** Writes a pipeline file into {@code home}/pipelines/ by rename, as an editor's save would land. */
    static void writePipeline(Path home, String fileName, String yaml) throws IOException {
        Path tmp = home.resolve("pipelines").resolve("." + fileName + ".tmp");
        Files.writeString(tmp, yaml);
        Files.move(tmp, home.resolve("pipelines").resolve(fileName), StandardCopyOption.REPLACE_EXISTING,
                StandardCopyOption.ATOMIC_MOVE);
    }

    @Override
    public void close() throws Exception {
        framework.stop();
        framework.waitForStop(20_000);
    }
}
