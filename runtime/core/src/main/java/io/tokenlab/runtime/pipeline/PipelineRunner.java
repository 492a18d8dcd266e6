package io.tokenlab.runtime.pipeline;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.registry.Lease;
import io.tokenlab.runtime.registry.TechniqueRegistry;

import org.osgi.framework.VersionRange;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BooleanSupplier;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Runs checked pipelines. Each stage leases the newest technique version in its range for the whole
 * run, so a swap during the run does not touch it; a stage that throws fails this run only, with the
 * pipeline, stage and technique named.
 */
public final class PipelineRunner {
    /** How long a run waits for its technique while bundles are being deployed (an update in progress). */
    static final long BIND_WAIT_MILLIS = 30_000;

    private final TechniqueRegistry registry;
    private final BooleanSupplier deploying;
    private final Supplier<Compute> compute;
    private final Supplier<DataCatalog> data;

    public PipelineRunner(TechniqueRegistry registry, BooleanSupplier deploying, Supplier<Compute> compute,
                          Supplier<DataCatalog> data) {
        this.registry = registry;
        this.deploying = deploying;
        this.compute = compute;
        this.data = data;
    }

    /** What a run produced, and which technique versions it ran on. */
    public record Result(Object output, Map<String, String> versions) {
    }

    public Result run(CheckedPipeline pipeline, Object input, Progress progress) throws RunFailure {
        Map<String, Object> outputs = new HashMap<>();
        Map<String, String> versions = new HashMap<>();
        List<Lease> leases = new java.util.concurrent.CopyOnWriteArrayList<>();
        Object current = input;
        try {
            for (CheckedStage stage : pipeline.stages()) {
                Lease lease = lease(pipeline.name(), stage.id(), stage.technique(), stage.range());
                leases.add(lease);
                versions.put(stage.id(), lease.version());
                Object in = stage.inputFrom() == null ? input : outputs.get(stage.inputFrom());
                String where = pipeline.name() + "/" + stage.id() + ": ";
                RunContext ctx = contextFor(pipeline.name(), stage.id(), progress, leases,
                        message -> System.err.println(where + message));
                try {
                    current = StageAdapters.apply(stage.technique(), lease.service(), in, stage.parameters(), ctx);
                    registry.recordRunSuccess(lease.entry());
                } catch (RuntimeException | LinkageError e) {
                    registry.recordRunFailure(lease.entry(), e);
                    throw new RunFailure("pipeline '" + pipeline.name() + "', stage '" + stage.id() + "' ("
                            + stage.technique() + " " + lease.version() + " from " + lease.bundle() + ") failed: "
                            + message(e), e);
                }
                if (current == null) {
                    throw new RunFailure("pipeline '" + pipeline.name() + "', stage '" + stage.id() + "' ("
                            + stage.technique() + " " + lease.version() + ") returned nothing");
                }
                outputs.put(stage.id(), current);
            }
            return new Result(current, versions);
        } finally {
            for (Lease l : leases) {
                l.close();
            }
        }
    }

    private static String message(Throwable e) {
        String m = e.getMessage();
        return m == null || m.isBlank() ? e.toString() : m;
    }

    private Lease lease(String pipeline, String stage, String technique, VersionRange range) throws RunFailure {
        try {
            Optional<Lease> l = registry.acquire(technique, range, BIND_WAIT_MILLIS, deploying);
            if (l.isPresent()) {
                return l.get();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new RunFailure("pipeline '" + pipeline + "' interrupted while waiting for " + technique);
        }
        String state = registry.list().stream().filter(i -> i.technique().equals(technique)).findFirst()
                .map(i -> "; it is " + i.state().label() + (i.detail().isEmpty() ? "" : ": " + i.detail())).orElse("");
        throw new RunFailure("pipeline '" + pipeline + "' is unavailable: stage '" + stage + "' needs " + technique
                + (range == null ? "" : " " + range) + state);
    }

    /**
     * The run context a stage sees, for callers that open a technique outside a pipeline run too (the
     * HTTP API): every technique it asks for is leased into {@code leases}, which the caller closes when
     * its call is done, so a swap waits for the call exactly as it waits for a pipeline run.
     */
    public RunContext contextFor(String pipeline, String stage, Progress progress, List<Lease> leases,
                                 Consumer<String> notes) {
        return new Context(pipeline, stage, progress, leases, notes);
    }

    private final class Context implements RunContext {
        private final String pipeline;
        private final String stage;
        private final Progress progress;
        private final List<Lease> leases;
        private final Consumer<String> notes;

        Context(String pipeline, String stage, Progress progress, List<Lease> leases, Consumer<String> notes) {
            this.pipeline = pipeline;
            this.stage = stage;
            this.progress = progress;
            this.leases = leases;
            this.notes = notes;
        }

        @Override
        public Compute compute() {
            Compute c = compute.get();
            if (c == null) {
                throw new IllegalStateException("no Compute backend is installed in this runtime");
            }
            return c;
        }

        @Override
        public DataCatalog data() {
            DataCatalog d = data.get();
            if (d == null) {
                throw new IllegalStateException("no data catalog is installed in this runtime");
            }
            return d;
        }

        @Override
        public Progress progress() {
            return progress;
        }

        @Override
        public void note(String message) {
            notes.accept(message);
        }

        @Override
        public String pipeline() {
            return pipeline;
        }

        @Override
        public String stage() {
            return stage;
        }

        @Override
        public <T> Optional<T> technique(Class<T> type, String technique) {
            try {
                Optional<Lease> l = registry.acquire(technique, null, BIND_WAIT_MILLIS, deploying);
                if (l.isEmpty()) {
                    return Optional.empty();
                }
                leases.add(l.get());
                Object s = l.get().service();
                return type.isInstance(s) ? Optional.of(type.cast(s)) : Optional.empty();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return Optional.empty();
            }
        }
    }
}
