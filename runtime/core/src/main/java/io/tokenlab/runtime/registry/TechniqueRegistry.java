package io.tokenlab.runtime.registry;

import io.tokenlab.api.Kind;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.runtime.deploy.BundleFolder;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.Constants;
import org.osgi.framework.InvalidSyntaxException;
import org.osgi.framework.ServiceReference;
import org.osgi.framework.Version;
import org.osgi.framework.VersionRange;
import org.osgi.service.metatype.MetaTypeService;
import org.osgi.util.tracker.ServiceTracker;
import org.osgi.util.tracker.ServiceTrackerCustomizer;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.Lock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import java.util.function.BooleanSupplier;
import java.util.function.Supplier;
import java.util.stream.Collectors;

/**
 * Every technique the runtime can see: services registered with {@code tokenlab.technique}, plus the
 * techniques of bundles that failed to resolve, plus techniques whose bundle was removed.
 *
 * <p>Runs take a {@link Lease} on the newest service whose version matches their range. Removing a
 * service waits for its open leases (a write lock against the leases' read locks), so a bundle update
 * never pulls a service out from under a run.
 */
public final class TechniqueRegistry implements AutoCloseable {
    /** Optional service properties that override the kind's default ports, by {@code PortType} name. */
    public static final String INPUT_PORT = PortOverrides.INPUT;
    public static final String OUTPUT_PORT = PortOverrides.OUTPUT;

    private final BundleContext context;
    private final MetatypeReader metatype;
    private final ServiceTracker<Object, Entry> tracker;
    /** Language model providers, techniques or not: a stage's {@code model} takes their settings. */
    private final ServiceTracker<Object, Entry> modelProviders;
    private final List<Entry> entries = new CopyOnWriteArrayList<>();
    private final Map<String, TechniqueInfo> removed = new ConcurrentHashMap<>();
    private final Map<Entry, String> failures = new ConcurrentHashMap<>();
    private final Supplier<Map<Bundle, String>> unresolvedBundles;
    private final Object changes = new Object();
    private static final String ACTIVATION_FAILED = "the component failed to activate";
    private static final String CANNOT_BE_BUILT = "the component cannot be built: ";

    /**
     * @param unresolvedBundles bundles that are installed but cannot resolve, with the reason
     */
    public TechniqueRegistry(BundleContext context, MetaTypeService metatype,
                             Supplier<Map<Bundle, String>> unresolvedBundles) {
        this.context = context;
        this.metatype = new MetatypeReader(metatype);
        this.unresolvedBundles = unresolvedBundles;
        try {
            this.tracker = new ServiceTracker<>(context,
                    context.createFilter("(" + Techniques.TECHNIQUE + "=*)"), new Customizer());
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        this.tracker.open(true);
        try {
            this.modelProviders = new ServiceTracker<>(context,
                    context.createFilter("(" + LanguageModelProvider.MODEL + "=*)"), null) {
                @Override
                public Entry addingService(ServiceReference<Object> reference) {
                    return new Entry(reference);
                }

                @Override
                public void removedService(ServiceReference<Object> reference, Entry e) {
                    e.gone = true;
                }
            };
        } catch (InvalidSyntaxException e) {
            throw new IllegalStateException(e);
        }
        this.modelProviders.open(true);
    }

    /** One registered technique service. */
    public static final class Entry {
        private final ServiceReference<Object> reference;
        private final String technique;
        private final Version version;
        private final String bundleName;
        private final String jar;
        private final long serviceId;
        private final ReentrantReadWriteLock lock = new ReentrantReadWriteLock();
        private volatile boolean gone;

        Entry(ServiceReference<Object> reference) {
            this.reference = reference;
            this.technique = String.valueOf(reference.getProperty(Techniques.TECHNIQUE));
            Bundle b = reference.getBundle();
            this.version = b == null ? Version.emptyVersion : b.getVersion();
            this.bundleName = b == null ? "?" : b.getSymbolicName();
            this.jar = b == null ? "?" : BundleFolder.jarOf(b);
            Object id = reference.getProperty(Constants.SERVICE_ID);
            this.serviceId = id instanceof Long ? (Long) id : Long.MAX_VALUE;
        }

        public String technique() {
            return technique;
        }

        public Version version() {
            return version;
        }

        public String bundleName() {
            return bundleName;
        }

        public ServiceReference<Object> reference() {
            return reference;
        }
    }

    private final class Customizer implements ServiceTrackerCustomizer<Object, Entry> {
        @Override
        public Entry addingService(ServiceReference<Object> reference) {
            Entry e = new Entry(reference);
            entries.add(e);
            removed.remove(e.technique);
            signal();
            return e;
        }

        @Override
        public void modifiedService(ServiceReference<Object> reference, Entry service) {
            signal();
        }

        @Override
        public void removedService(ServiceReference<Object> reference, Entry e) {
            e.gone = true;
            entries.remove(e);
            // Wait for the runs that hold this service; the unregistration (and the component's
            // deactivation after it) happens only when they are done.
            e.lock.writeLock().lock();
            e.lock.writeLock().unlock();
            failures.remove(e);
            if (entries.stream().noneMatch(x -> x.technique.equals(e.technique))) {
                removed.put(e.technique, new TechniqueInfo(e.technique, e.bundleName, e.version.toString(),
                        TechniqueState.REMOVED, "its bundle was removed or stopped", "", "", "", List.of()));
            }
            signal();
        }
    }

    private void signal() {
        synchronized (changes) {
            changes.notifyAll();
        }
    }

    /**
     * All active services of a technique, newest version first; within one version in the framework's
     * order (higher service ranking, then the service registered first), which is the one runs get.
     */
    public List<Entry> candidates(String technique, VersionRange range) {
        List<Entry> out = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.gone && e.technique.equals(technique) && (range == null || range.includes(e.version))) {
                out.add(e);
            }
        }
        out.sort(SERVING_ORDER);
        return out;
    }

    private static final Comparator<Entry> SERVING_ORDER = Comparator.comparing((Entry e) -> e.version).reversed()
            .thenComparing(e -> -ranking(e.reference)).thenComparingLong(e -> e.serviceId);

    /**
     * Whether a run of this technique in this range can be served now: a service is registered and
     * its component can be built (its descriptor names a class the bundle has).
     */
    public boolean servable(String technique, VersionRange range) {
        return candidates(technique, range).stream().anyMatch(e -> descriptorProblem(e) == null);
    }

    /** What the bundle's descriptor says is wrong with this entry's component, or null. */
    private static String descriptorProblem(Entry e) {
        Bundle b = e.reference.getBundle();
        if (b == null) {
            return null;
        }
        Object component = e.reference.getProperty("component.name");
        for (ComponentDescriptors.Problem p : ComponentDescriptors.problems(b)) {
            if (p.component() != null && p.component().equals(component)) {
                return e.jar + ": " + p.message();
            }
        }
        return null;
    }

    private static int ranking(ServiceReference<?> ref) {
        Object r = ref.getProperty(Constants.SERVICE_RANKING);
        return r instanceof Integer ? (Integer) r : 0;
    }

    /**
     * The service that provides the language model {@code model} (service property
     * {@code tokenlab.model}), newest first, whether or not it is a technique too; its metatype holds
     * that model's own settings.
     */
    public Optional<Entry> modelProvider(String model) {
        return modelProviders.getTracked().values().stream()
                .filter(e -> !e.gone && model.equals(e.reference.getProperty(LanguageModelProvider.MODEL)))
                .sorted(SERVING_ORDER).findFirst();
    }

    /** Names of every technique known in any state, for suggestions. */
    public List<String> knownNames() {
        List<String> names = new ArrayList<>();
        for (TechniqueInfo i : list()) {
            if (!names.contains(i.technique())) {
                names.add(i.technique());
            }
        }
        return names;
    }

    /**
     * Leases the newest matching service. If none is there, waits while {@code stillArriving} says a
     * deployment is in progress (an update replaces a service by unregistering the old one first), up to
     * {@code maxWaitMillis}.
     *
     * @return empty when no matching service is available
     */
    public Optional<Lease> acquire(String technique, VersionRange range, long maxWaitMillis,
                                   BooleanSupplier stillArriving) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(maxWaitMillis);
        while (true) {
            for (Entry e : candidates(technique, range)) {
                Lock read = e.lock.readLock();
                if (!read.tryLock()) {
                    continue; // being removed right now
                }
                if (e.gone) {
                    read.unlock();
                    continue;
                }
                String broken = descriptorProblem(e);
                if (broken != null) {
                    // SCR would only fail again and log a stack trace for it
                    read.unlock();
                    failures.put(e, CANNOT_BE_BUILT + broken);
                    continue;
                }
                Object service;
                try {
                    service = context.getService(e.reference);
                } catch (RuntimeException ex) {
                    service = null;
                }
                if (service == null) {
                    read.unlock();
                    if (!e.gone) {
                        failures.put(e, ACTIVATION_FAILED + componentFailure(e));
                    }
                    continue;
                }
                return Optional.of(new Lease(context, e.reference, service, read, e));
            }
            long left = deadline - System.nanoTime();
            if (left <= 0 || !stillArriving.getAsBoolean()) {
                return Optional.empty();
            }
            synchronized (changes) {
                changes.wait(Math.max(1, Math.min(50, TimeUnit.NANOSECONDS.toMillis(left))));
            }
        }
    }

    private String componentFailure(Entry e) {
        return ComponentFailures.describe(context, e.reference);
    }

    /** Records that a run of this service threw; the technique shows as failed until a run succeeds. */
    public void recordRunFailure(Entry e, Throwable t) {
        if (!e.gone) {
            failures.put(e, "last run threw " + t);
        }
    }

    public void recordRunSuccess(Entry e) {
        failures.remove(e);
    }

    /**
     * Every technique in every state, sorted by name then newest version. Two bundles offering the
     * same technique and version both show: the one runs get first, the other as a conflict.
     */
    public List<TechniqueInfo> list() {
        Map<String, TechniqueInfo> out = new LinkedHashMap<>();
        Map<String, List<Entry>> byVersion = new LinkedHashMap<>();
        List<Entry> live = new ArrayList<>();
        for (Entry e : entries) {
            if (!e.gone) {
                live.add(e);
            }
        }
        live.sort(Comparator.comparing((Entry e) -> e.technique).thenComparing(SERVING_ORDER));
        for (Entry e : live) {
            byVersion.computeIfAbsent(e.technique + "@" + e.version, k -> new ArrayList<>()).add(e);
        }
        for (List<Entry> same : byVersion.values()) {
            Entry serving = null;
            for (Entry e : same) {
                if (serving == null && canServe(e)) {
                    serving = e;
                }
            }
            for (Entry e : same) {
                String failure = failure(e);
                TechniqueState state = failure != null ? TechniqueState.FAILED : TechniqueState.ACTIVE;
                String detail = failure == null ? "" : failure;
                if (same.size() > 1) {
                    if (e == serving) {
                        detail = join(detail, "conflict: " + others(same, e) + " also offer"
                                + (same.size() == 2 ? "s" : "") + " " + e.technique + " " + e.version
                                + "; this one serves runs");
                    } else {
                        if (canServe(e)) {
                            state = TechniqueState.CONFLICT;
                        }
                        detail = join(detail, "conflict: same technique and version as "
                                + (serving == null ? others(same, e) + ", none of which can run"
                                : describe(serving) + ", which serves runs; this one is not used"));
                    }
                }
                out.put(e.technique + "@" + e.version + "@" + e.serviceId, info(e, state, detail));
            }
        }
        for (Map.Entry<Bundle, String> u : unresolvedBundles.get().entrySet()) {
            Bundle b = u.getKey();
            for (String name : ComponentDescriptors.techniqueNames(b)) {
                out.putIfAbsent(name + "@" + b.getVersion() + "@" + b.getSymbolicName(), new TechniqueInfo(name,
                        b.getSymbolicName(), b.getVersion().toString(), TechniqueState.UNRESOLVED, u.getValue(),
                        "", "", "", List.of()));
            }
        }
        for (TechniqueInfo r : removed.values()) {
            if (out.keySet().stream().noneMatch(k -> k.startsWith(r.technique() + "@"))) {
                out.put(r.technique() + "@" + r.version(), r);
            }
        }
        List<TechniqueInfo> list = new ArrayList<>(out.values());
        // stable: within one technique and version the serving row stays first
        list.sort(Comparator.comparing(TechniqueInfo::technique)
                .thenComparing(i -> Version.parseVersion(safeVersion(i.version())), Comparator.reverseOrder()));
        return list;
    }

    private String failure(Entry e) {
        String recorded = failures.get(e);
        if (recorded != null) {
            return recorded;
        }
        String broken = descriptorProblem(e);
        return broken == null ? null : CANNOT_BE_BUILT + broken;
    }

    /** Whether a lease can get this entry's service (a run that threw does not stop it serving). */
    private boolean canServe(Entry e) {
        String f = failure(e);
        return f == null || !(f.startsWith(ACTIVATION_FAILED) || f.startsWith(CANNOT_BE_BUILT));
    }

    private static String describe(Entry e) {
        return e.bundleName + " (" + e.jar + ")";
    }

    private static String others(List<Entry> same, Entry except) {
        List<String> names = new ArrayList<>();
        for (Entry o : same) {
            if (o != except) {
                names.add(describe(o));
            }
        }
        return String.join(", ", names);
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "; " + b;
    }

    private static String safeVersion(String v) {
        try {
            Version.parseVersion(v);
            return v;
        } catch (IllegalArgumentException e) {
            return "0";
        }
    }

    /** The description, ports and parameters of an active entry. */
    public TechniqueInfo info(Entry e) {
        return info(e, TechniqueState.ACTIVE, "");
    }

    private TechniqueInfo info(Entry e, TechniqueState state, String detail) {
        ServiceReference<Object> ref = e.reference;
        String description = Objects.toString(ref.getProperty(Techniques.DESCRIPTION), "");
        String[] ports = ports(ref, e.technique);
        Bundle bundle = ref.getBundle();
        List<ParameterSpec> params = bundle == null ? List.of()
                : metatype.parameters(bundle, Objects.toString(ref.getProperty("component.name"), null));
        Set<String> files = fileParameters(ref);
        params = params.stream().map(p -> p.asFile(files.contains(p.id()))).collect(Collectors.toList());
        return new TechniqueInfo(e.technique, e.bundleName, e.version.toString(), state, detail, description,
                ports[0], ports[1], accepted(e.technique, params));
    }

    /**
     * What a stage of this technique accepts, in the order users read it: the technique's own
     * parameters, then those its kind declares once for all its techniques ({@link KindParameters}),
     * then the settings of the model its {@code model} parameter names by default, from that
     * provider's metatype. The technique's own declaration of one of these wins (a default or a
     * description of its own) and keeps its place among them.
     */
    private List<ParameterSpec> accepted(String technique, List<ParameterSpec> own) {
        Map<String, ParameterSpec> byId = new LinkedHashMap<>();
        own.forEach(p -> byId.put(p.id(), p));
        List<ParameterSpec> shared = kindParameters(technique);
        ParameterSpec model = byId.get("model");
        if (model == null) {
            model = shared.stream().filter(p -> p.id().equals("model")).findFirst().orElse(null);
        }
        List<ParameterSpec> modelSettings = model == null || model.defaults().isEmpty() ? List.of()
                : modelProvider(model.defaults().get(0).trim()).map(p -> info(p).parameters()).orElse(List.of());
        if (shared.isEmpty() && modelSettings.isEmpty()) {
            return own;
        }
        Map<String, ParameterSpec> out = new LinkedHashMap<>();
        Set<String> later = new java.util.HashSet<>();
        shared.forEach(p -> later.add(p.id()));
        modelSettings.forEach(p -> later.add(p.id()));
        own.stream().filter(p -> !later.contains(p.id())).forEach(p -> out.put(p.id(), p));
        for (List<ParameterSpec> group : List.of(shared, modelSettings)) {
            for (ParameterSpec p : group) {
                out.putIfAbsent(p.id(), byId.getOrDefault(p.id(), p));
            }
        }
        return List.copyOf(out.values());
    }

    private static List<ParameterSpec> kindParameters(String technique) {
        try {
            return KindParameters.of(Techniques.kindOf(technique));
        } catch (IllegalArgumentException e) {
            return List.of(); // not one of the five kinds
        }
    }

    /** Whether the technique that would serve {@code technique} in {@code range} declares {@link Techniques#RAW_BYTES}. */
    public boolean takesRawBytes(String technique, VersionRange range) {
        List<Entry> c = candidates(technique, range);
        return !c.isEmpty() && Boolean.parseBoolean(String.valueOf(c.get(0).reference.getProperty(Techniques.RAW_BYTES)));
    }

    /** The parameter ids the component declares as naming files ({@link Techniques#FILE_PARAMETERS}). */
    static Set<String> fileParameters(ServiceReference<?> ref) {
        Object v = ref.getProperty(Techniques.FILE_PARAMETERS);
        if (v instanceof String[]) {
            return Set.of((String[]) v);
        }
        return v == null ? Set.of() : Set.of(v.toString());
    }

    static String[] ports(ServiceReference<?> ref, String technique) {
        String in = null;
        String out = null;
        try {
            Kind kind = Techniques.kindOf(technique);
            in = kind.input().portName();
            out = kind.output().portName();
        } catch (IllegalArgumentException e) {
            // not one of the five kinds: it must declare its ports
        }
        Object i = ref.getProperty(INPUT_PORT);
        Object o = ref.getProperty(OUTPUT_PORT);
        return new String[] {i != null ? i.toString() : in == null ? "?" : in,
                o != null ? o.toString() : out == null ? "?" : out};
    }

    /** Blocks until something changes in the registry or the timeout passes. */
    public void awaitChange(long millis) throws InterruptedException {
        synchronized (changes) {
            changes.wait(millis);
        }
    }

    @Override
    public void close() {
        modelProviders.close();
        tracker.close();
    }
}
