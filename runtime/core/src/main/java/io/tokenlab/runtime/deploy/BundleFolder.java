package io.tokenlab.runtime.deploy;

import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.FrameworkEvent;
import org.osgi.framework.wiring.FrameworkWiring;
import io.tokenlab.runtime.registry.ComponentDescriptors;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the bundles of one folder installed: a new jar is installed and started, a changed jar
 * updates its bundle in place, a removed jar uninstalls it. Jars are read into memory before
 * installing, so the file can be replaced again at any time. Deploy by writing a temporary file and
 * renaming it into the folder, so a half-written jar is never seen.
 */
public final class BundleFolder implements AutoCloseable {
    private static final Logger LOG = Logger.getLogger(BundleFolder.class.getName());
    private static final String LOCATION_PREFIX = "tokenlab:";
    /** How long a scan waits for Service Component Runtime to take up the bundles it started. */
    private static final long SETTLE_TIMEOUT_MILLIS = 10_000;

    private final BundleContext context;
    private final Path folder;
    private final long pollMillis;
    private final Map<Path, Stamp> seen = new HashMap<>();
    private final Map<Bundle, String> unresolved = new ConcurrentHashMap<>();
    private final Map<Path, String> broken = new ConcurrentHashMap<>();
    /** Installed jars that cannot work though they are bundles: a fragment without its host, a bad descriptor. */
    private final Map<Path, String> faulty = new ConcurrentHashMap<>();
    /** What was last warned about each bundle, so that each problem is logged once, not on every poll. */
    private final Map<Long, String> warned = new ConcurrentHashMap<>();
    /** Bundle revisions (id -> last modified) whose components SCR never took up: not waited for again. */
    private final Map<Long, Long> neverSettled = new ConcurrentHashMap<>();
    private volatile boolean busy = true;
    private volatile boolean running = true;
    /** The only jars installed, for a one-shot run that needs a few of them; null: the whole folder. */
    private volatile Set<Path> only;
    private Thread poller;

    private record Stamp(long size, long modified) {
    }

    public BundleFolder(BundleContext context, Path folder, long pollMillis) {
        this.context = context;
        this.folder = folder;
        this.pollMillis = pollMillis;
    }

    /** Installs what is in the folder now (synchronously), then keeps watching it. */
    public void start() {
        start(null);
    }

    /**
     * Like {@link #start()}, but installs only the given jars of the folder (null: all), until
     * {@link #completeIfPartial()} installs the rest.
     */
    public void start(Set<Path> jars) {
        only = jars == null ? null : Set.copyOf(jars);
        try {
            scan();
        } finally {
            busy = false;
        }
        poller = new Thread(this::poll, "tokenlab-bundles-watcher");
        poller.setDaemon(true);
        poller.start();
    }

    /**
     * Installs the jars a partial start left out, once: called when something a run looks up is not
     * there, so a run never fails because of what the selection guessed. True when it installed any.
     */
    public boolean completeIfPartial() {
        synchronized (this) {
            if (only == null) {
                return false;
            }
            only = null;
            busy = true;
            try {
                scan();
            } finally {
                busy = false;
            }
            return true;
        }
    }

    /** True while only the jars one run needs are installed. */
    public boolean partial() {
        return only != null;
    }

    public Path folder() {
        return folder;
    }

    /**
     * True while a scan is installing, updating or removing bundles, until Service Component Runtime
     * has registered (or failed) the components of the bundles it started.
     */
    public boolean busy() {
        return busy;
    }

    /** Bundles from the folder that are installed but cannot resolve, with the resolver's reason. */
    public Map<Bundle, String> unresolved() {
        unresolved.keySet().removeIf(b -> b.getState() == Bundle.UNINSTALLED || b.getState() == Bundle.ACTIVE);
        return Map.copyOf(unresolved);
    }

    /** Jars that could not be installed at all (not a bundle, corrupt), with the reason. */
    public Map<Path, String> broken() {
        return Map.copyOf(broken);
    }

    /**
     * Every jar of the folder that does not work and provides no technique row of its own, sorted:
     * not installable, a fragment whose host is missing, a component descriptor that cannot be read.
     * Each reason reads after the jar's name ("bundles/x.jar is not deployed: ...").
     */
    public Map<Path, String> problems() {
        Map<Path, String> out = new java.util.TreeMap<>();
        broken.forEach((jar, why) -> out.put(jar, "is not deployed: " + why));
        faulty.forEach((jar, why) -> out.merge(jar, why, (a, b) -> a + "; " + b));
        return out;
    }

    /** How a bundle is named to operators: its jar in bundles/ when it came from there. */
    public static String jarOf(Bundle b) {
        String location = b.getLocation();
        if (location.startsWith(LOCATION_PREFIX)) {
            return "bundles/" + Path.of(location.substring(LOCATION_PREFIX.length())).getFileName();
        }
        return location;
    }

    private void poll() {
        while (running) {
            try {
                Thread.sleep(pollMillis);
                busy = true;
                try {
                    scan();
                } finally {
                    busy = false;
                }
            } catch (InterruptedException e) {
                return;
            } catch (RuntimeException e) {
                LOG.log(Level.WARNING, "scanning " + folder + " failed; will retry", e);
            }
        }
    }

    /** One pass over the folder. Package-private so tests can drive it without waiting. */
    synchronized void scan() {
        Map<Path, Stamp> now = listJars();
        List<Bundle> changed = new ArrayList<>();
        for (Map.Entry<Path, Stamp> e : now.entrySet()) {
            Stamp before = seen.get(e.getKey());
            if (e.getValue().equals(before)) {
                continue;
            }
            Bundle b = deploy(e.getKey(), before != null || installed(e.getKey()) != null);
            seen.put(e.getKey(), e.getValue());
            if (b != null) {
                changed.add(b);
            }
        }
        for (Path gone : new ArrayList<>(seen.keySet())) {
            if (!now.containsKey(gone)) {
                seen.remove(gone);
                broken.remove(gone);
                faulty.remove(gone);
                Bundle b = installed(gone);
                if (b != null) {
                    try {
                        b.uninstall();
                        unresolved.remove(b);
                        warned.remove(b.getBundleId());
                        neverSettled.remove(b.getBundleId());
                        changed.add(b);
                        LOG.info("uninstalled " + b.getSymbolicName() + " " + b.getVersion() + " (" + gone.getFileName()
                                + " removed)");
                    } catch (BundleException ex) {
                        LOG.log(Level.WARNING, "could not uninstall " + gone.getFileName(), ex);
                    }
                }
            }
        }
        if (!changed.isEmpty()) {
            refresh(changed);
            startAll();
            checkAll();
            awaitComponents();
        } else if (!unresolved.isEmpty() || !faulty.isEmpty()) {
            startAll(); // something else may have made them resolvable
            checkAll();
            awaitComponents();
        }
    }

    /**
     * Keeps the scan (and so {@link #busy()}) going until SCR has registered the components of the
     * bundles it started: callers that wait while the folder is busy then find the new services.
     */
    private void awaitComponents() {
        List<Bundle> ours = new ArrayList<>();
        for (Bundle b : context.getBundles()) {
            if (b.getLocation().startsWith(LOCATION_PREFIX) && b.getState() == Bundle.ACTIVE
                    && !Long.valueOf(b.getLastModified()).equals(neverSettled.get(b.getBundleId()))) {
                ours.add(b);
            }
        }
        try {
            List<String> late = ComponentSettling.await(context, ours, SETTLE_TIMEOUT_MILLIS);
            if (!late.isEmpty()) {
                // SCR rejected what it could not read (it only logs that): do not wait for this revision again
                ComponentSettling.unsettledBundles(context, ours)
                        .forEach(b -> neverSettled.put(b.getBundleId(), b.getLastModified()));
                LOG.warning("components not registered " + SETTLE_TIMEOUT_MILLIS / 1000 + " s after their bundles started: "
                        + String.join(", ", late));
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /**
     * Finds what the framework and Service Component Runtime only log, if at all: fragments that did
     * not attach and component descriptors that cannot work. Warns once per bundle and reason.
     */
    private void checkAll() {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        Map<Path, String> found = new HashMap<>();
        for (Bundle b : context.getBundles()) {
            if (!b.getLocation().startsWith(LOCATION_PREFIX) || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            Path jar = Path.of(b.getLocation().substring(LOCATION_PREFIX.length()));
            List<String> reasons = new ArrayList<>();
            if (b.getHeaders().get("Fragment-Host") != null && b.getState() == Bundle.INSTALLED) {
                wiring.resolveBundles(List.of(b));
                if (b.getState() == Bundle.INSTALLED) {
                    reasons.add("cannot attach to its host (Fragment-Host: " + b.getHeaders().get("Fragment-Host")
                            + "): " + MissingRequirements.describe(b, wiring));
                }
            }
            if (b.getState() == Bundle.ACTIVE) {
                for (ComponentDescriptors.Problem p : ComponentDescriptors.problems(b)) {
                    if (p.component() == null) {
                        reasons.add("has a component descriptor that cannot be read: " + p.message());
                    } else {
                        warnOnce(b, jarOf(b) + ": " + p.message());
                    }
                }
            }
            if (!reasons.isEmpty()) {
                String why = String.join("; ", reasons);
                found.put(jar, why);
                warnOnce(b, jarOf(b) + " (" + b.getSymbolicName() + " " + b.getVersion() + ") " + why);
            }
        }
        faulty.keySet().retainAll(found.keySet());
        faulty.putAll(found);
    }

    private void warnOnce(Bundle b, String message) {
        String before = warned.get(b.getBundleId());
        if (before == null || !before.contains(message)) {
            warned.put(b.getBundleId(), before == null ? message : before + "\n" + message);
            LOG.warning(message);
        }
    }

    private Bundle deploy(Path jar, boolean update) {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(jar);
        } catch (IOException e) {
            broken.put(jar, "cannot read: " + e.getMessage());
            return null;
        }
        String location = LOCATION_PREFIX + jar.toAbsolutePath().normalize();
        String notABundle = JarDiagnosis.problem(bytes);
        if (notABundle != null) {
            // Felix would install a jar without Bundle-SymbolicName as an empty R3 bundle and say nothing
            broken.put(jar, notABundle);
            LOG.warning("cannot deploy " + jar.getFileName() + ": " + notABundle);
            return null;
        }
        try {
            Bundle existing = installed(jar);
            if (existing != null) {
                existing.update(new ByteArrayInputStream(bytes));
                warned.remove(existing.getBundleId()); // a new revision: its problems are news again
                LOG.info("updated " + existing.getSymbolicName() + " to " + existing.getVersion() + " from "
                        + jar.getFileName());
                broken.remove(jar);
                return existing;
            }
            Bundle b = context.installBundle(location, new ByteArrayInputStream(bytes));
            LOG.info("installed " + b.getSymbolicName() + " " + b.getVersion() + " from " + jar.getFileName());
            broken.remove(jar);
            return b;
        } catch (BundleException | RuntimeException e) {
            String why = e instanceof IllegalStateException ? e.getMessage() : JarDiagnosis.explain(bytes, e);
            broken.put(jar, why);
            LOG.warning("cannot deploy " + jar.getFileName() + ": " + why);
            return null;
        }
    }

    private Bundle installed(Path jar) {
        return context.getBundle(LOCATION_PREFIX + jar.toAbsolutePath().normalize());
    }

    /** Refreshes the changed bundles (and their dependents), waiting until the framework is done. */
    private void refresh(Collection<Bundle> bundles) {
        FrameworkWiring wiring = context.getBundle(0).adapt(FrameworkWiring.class);
        CountDownLatch done = new CountDownLatch(1);
        wiring.refreshBundles(bundles, event -> {
            if (event.getType() == FrameworkEvent.PACKAGES_REFRESHED || event.getType() == FrameworkEvent.ERROR) {
                done.countDown();
            }
        });
        try {
            if (!done.await(60, TimeUnit.SECONDS)) {
                LOG.warning("refreshing bundles took over 60 s");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void startAll() {
        for (Bundle b : context.getBundles()) {
            if (!b.getLocation().startsWith(LOCATION_PREFIX) || b.getState() == Bundle.UNINSTALLED) {
                continue;
            }
            if (b.getHeaders().get("Fragment-Host") != null || b.getState() == Bundle.ACTIVE) {
                unresolved.remove(b);
                continue;
            }
            try {
                b.start();
                unresolved.remove(b);
            } catch (BundleException e) {
                String why = b.getState() == Bundle.INSTALLED
                        ? "cannot resolve: " + MissingRequirements.describe(b,
                                context.getBundle(0).adapt(FrameworkWiring.class), e.getMessage())
                        : "cannot start: " + e.getMessage();
                String message = jarOf(b) + " (" + b.getSymbolicName() + " " + b.getVersion() + ") " + why;
                unresolved.put(b, message);
                warnOnce(b, message);
            } catch (IllegalStateException e) {
                unresolved.remove(b);
            }
        }
    }

    private Map<Path, Stamp> listJars() {
        Map<Path, Stamp> out = new LinkedHashMap<>();
        if (!Files.isDirectory(folder)) {
            return out;
        }
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.jar")) {
            List<Path> sorted = new ArrayList<>();
            ds.forEach(sorted::add);
            sorted.sort(null);
            for (Path p : sorted) {
                try {
                    BasicFileAttributes a = Files.readAttributes(p, BasicFileAttributes.class);
                    Set<Path> selected = only;
                    if (a.isRegularFile() && (selected == null || selected.contains(p))) {
                        out.put(p, new Stamp(a.size(), a.lastModifiedTime().toMillis() ^ java.util.Objects.hashCode(a.fileKey())));
                    }
                } catch (NoSuchFileException e) {
                    // removed while listing; the next scan sees it gone
                }
            }
        } catch (IOException e) {
            LOG.warning("cannot list " + folder + ": " + e.getMessage());
        }
        return out;
    }

    @Override
    public void close() {
        running = false;
        if (poller != null) {
            poller.interrupt();
        }
    }
}
