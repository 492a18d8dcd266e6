package io.tokenlab.runtime;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Progress;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.runtime.deploy.BundleFolder;
import io.tokenlab.runtime.io.PortFiles;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.PipelineDefinition;
import io.tokenlab.runtime.pipeline.PipelineException;
import io.tokenlab.runtime.pipeline.PipelineParser;
import io.tokenlab.runtime.pipeline.PipelineRunner;
import io.tokenlab.runtime.pipeline.PipelineStore;
import io.tokenlab.runtime.pipeline.PipelineValidator;
import io.tokenlab.runtime.pipeline.RunFailure;
import io.tokenlab.runtime.registry.TechniqueRegistry;

import org.osgi.framework.BundleContext;
import org.osgi.service.metatype.MetaTypeService;

import java.nio.file.Path;
import java.util.Map;

/**
 * The runtime's parts wired together: the bundle folder, the registry, the pipeline checker, runner
 * and store. One per framework; created by {@link RuntimeComponent}.
 */
public final class TokenlabRuntime implements AutoCloseable {
    private final Path home;
    private final BundleFolder bundles;
    private final TechniqueRegistry registry;
    private final PipelineValidator validator;
    private final PipelineRunner runner;
    private final PipelineStore pipelines;
    private final LazyService<Compute> compute;
    private final LazyService<DataCatalog> data;
    private final long startedNanos;
    private final java.util.concurrent.CountDownLatch bundlesStarted = new java.util.concurrent.CountDownLatch(1);
    private boolean watchingPipelines;

    public TokenlabRuntime(BundleContext context, MetaTypeService metatype, Path home, long startedNanos) {
        this.home = home;
        this.startedNanos = startedNanos;
        this.bundles = new BundleFolder(context, home.resolve("bundles"),
                Long.getLong("tokenlab.bundles.poll", 200L));
        this.registry = new TechniqueRegistry(context, metatype, bundles::unresolved);
        this.validator = new PipelineValidator(registry);
        this.compute = new LazyService<>(context, Compute.class);
        this.data = new LazyService<>(context, DataCatalog.class);
        // a lookup that finds nothing while only a run's own jars are installed installs the rest and looks again
        this.runner = new PipelineRunner(registry, () -> bundles.busy() || bundles.completeIfPartial(), compute::get,
                data::get);
        this.pipelines = new PipelineStore(home.resolve("pipelines"), def -> {
            try {
                return validator.check(def, Map.of());
            } catch (PipelineException e) {
                throw new PipelineStore.PipelineCheckError(e);
            }
        });
    }

    /** Installs what is in bundles/ now, then keeps watching it. */
    public void startBundles() {
        startBundles(null);
    }

    /** Installs the given jars of bundles/ (null: all of them), then keeps watching them. */
    public void startBundles(java.util.Set<Path> only) {
        try {
            bundles.start(only);
        } catch (IllegalStateException e) {
            // the framework stopped before the first pass ended (a command that was over at once): nothing to report
        } finally {
            bundlesStarted.countDown();
        }
    }

    /** Waits until the first pass over bundles/ is done (every jar installed and started or reported). */
    public void awaitBundles() throws InterruptedException {
        bundlesStarted.await();
    }

    /** Keeps pipelines/ loaded and checked (for `start`; a single `run` does not need it). */
    public synchronized void watchPipelines() {
        if (!watchingPipelines) {
            watchingPipelines = true;
            pipelines.start(Long.getLong("tokenlab.pipelines.poll", 500L));
        }
    }

    /** The highest-ranked Compute (the dispatcher when installed), activated on first use. */
    public Compute computeOrNull() {
        return compute.get();
    }

    public DataCatalog dataOrNull() {
        return data.get();
    }

    public Path home() {
        return home;
    }

    public BundleFolder bundles() {
        return bundles;
    }

    public TechniqueRegistry registry() {
        return registry;
    }

    public PipelineStore pipelines() {
        return pipelines;
    }

    public long startedNanos() {
        return startedNanos;
    }

    /**
     * Parses and checks a pipeline file with {@code --set} overrides. When only some of bundles/ is
     * installed and the check fails, the rest is installed and the file checked again, so the
     * problems reported (and the techniques suggested) are those of the whole folder.
     */
    public CheckedPipeline check(Path file, Map<String, String> overrides) throws PipelineException {
        PipelineDefinition def = new PipelineParser().parse(file);
        try {
            return validator.check(def, overrides);
        } catch (PipelineException e) {
            if (!bundles.completeIfPartial()) {
                throw e;
            }
            return validator.check(def, overrides);
        }
    }

    public PipelineRunner.Result run(CheckedPipeline pipeline, Object input, Progress progress) throws RunFailure {
        return runner.run(pipeline, input, progress);
    }

    /** The pipeline runner, for callers that give techniques the same run context as a stage (the HTTP API). */
    public PipelineRunner runner() {
        return runner;
    }

    /** Runs a pipeline on text given directly (used by the shell commands). */
    public PipelineRunner.Result runOnText(CheckedPipeline pipeline, String text) throws Exception {
        PortType in = port(pipeline.first().inputPort());
        Object input = PortFiles.read(in, new java.io.ByteArrayInputStream(
                text.getBytes(java.nio.charset.StandardCharsets.UTF_8)), "(argument)");
        return run(pipeline, input, Progress.NONE);
    }

    public static PortType port(String name) {
        for (PortType p : PortType.values()) {
            if (p.portName().equals(name)) {
                return p;
            }
        }
        throw new IllegalArgumentException("unknown port type '" + name + "'");
    }

    @Override
    public void close() {
        pipelines.close();
        bundles.close();
        registry.close();
        compute.close();
        data.close();
    }
}
