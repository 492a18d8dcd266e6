package io.tokenlab.runtime.cli;

import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.io.PortFiles;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.CheckedStage;
import io.tokenlab.runtime.pipeline.PipelineRunner;
import io.tokenlab.runtime.pipeline.PipelineStore;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

/**
 * The Gogo shell commands of {@code tokenlab start}: {@code tokenlab:plugins}, {@code tokenlab:pipelines},
 * {@code tokenlab:run}, {@code tokenlab:trace}, {@code tokenlab:check}, {@code tokenlab:compute}. Errors come back as text;
 * a failing command never stops the runtime.
 */
public final class ShellCommands {
    private final TokenlabRuntime runtime;

    public ShellCommands(TokenlabRuntime runtime) {
        this.runtime = runtime;
    }

    /** Lists techniques with versions, states and parameters, then the jars that provide nothing. */
    public String plugins() {
        return PluginTable.text(runtime.registry().list(), runtime.bundles().problems(), true);
    }

    /**
     * Lists the pipelines in pipelines/: active, unavailable (a stage's technique is gone or cannot
     * run now) or invalid, with the problems of those that are not active.
     */
    public String pipelines() {
        runtime.pipelines().scan();
        StringBuilder sb = new StringBuilder();
        for (PipelineStore.Loaded l : runtime.pipelines().all()) {
            String missing = l.active() == null ? "" : missingStages(l.active());
            String state = l.active() == null ? "invalid" : missing.isEmpty() ? "active" : "unavailable";
            sb.append(String.format("%-24s %-11s %s%n", l.name(), state, l.file().getFileName()));
            if (!missing.isEmpty()) {
                sb.append(missing);
            }
            if (!l.problems().isEmpty()) {
                sb.append("    ").append(l.active() != null ? "last edit rejected, running the last good version:\n    " : "")
                        .append(l.problems().replace("\n", "\n    ")).append('\n');
            }
        }
        return sb.length() == 0 ? "no pipelines in " + runtime.home().resolve("pipelines") + "\n" : sb.toString();
    }

    /** "unavailable: stage X needs T" for each stage whose technique cannot serve a run now. */
    private String missingStages(CheckedPipeline p) {
        StringBuilder sb = new StringBuilder();
        for (CheckedStage s : p.stages()) {
            if (!runtime.registry().servable(s.technique(), s.range())) {
                String state = runtime.registry().list().stream().filter(i -> i.technique().equals(s.technique()))
                        .findFirst().map(i -> " (it is " + i.state().label()
                                + (i.detail().isEmpty() ? "" : ": " + i.detail()) + ")").orElse("");
                sb.append("    unavailable: stage ").append(s.id()).append(" needs ").append(s.technique())
                        .append(s.range() == null ? "" : " " + s.range()).append(state).append('\n');
            }
        }
        return sb.toString();
    }

    /** Runs a pipeline (by name or file) on the text given, returning its output. */
    public String run(String pipeline, String text) {
        pipeline = ConsoleText.decode(pipeline);
        text = ConsoleText.decode(text);
        try {
            PipelineRunner.Result r = runtime.runOnText(find(pipeline), text);
            return new String(PortFiles.encode(TokenlabRuntime.port(find(pipeline).last().outputPort()), r.output()),
                    StandardCharsets.UTF_8);
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    /** Runs a pipeline from an input file to an output file. */
    public String run(String pipeline, String input, String output) {
        pipeline = ConsoleText.decode(pipeline);
        input = ConsoleText.decode(input);
        output = ConsoleText.decode(output);
        try {
            CheckedPipeline p = find(pipeline);
            Object in = PortFiles.read(TokenlabRuntime.port(p.first().inputPort()),
                    Files.newInputStream(Path.of(input)), input);
            PipelineRunner.Result r = runtime.run(p, in, io.tokenlab.api.Progress.NONE);
            PortType out = TokenlabRuntime.port(p.last().outputPort());
            PortFiles.writeAtomically(Path.of(output), PortFiles.encode(out, r.output()));
            return "wrote " + output + "\n";
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    /** Runs like {@link #run(String, String)} and first lists the technique version that served each stage. */
    public String trace(String pipeline, String text) {
        pipeline = ConsoleText.decode(pipeline);
        text = ConsoleText.decode(text);
        try {
            CheckedPipeline p = find(pipeline);
            PipelineRunner.Result r = runtime.runOnText(p, text);
            StringBuilder sb = new StringBuilder();
            for (Map.Entry<String, String> v : new TreeMap<>(r.versions()).entrySet()) {
                sb.append(v.getKey()).append('=').append(v.getValue()).append('\n');
            }
            sb.append(new String(PortFiles.encode(TokenlabRuntime.port(p.last().outputPort()), r.output()),
                    StandardCharsets.UTF_8));
            return sb.toString();
        } catch (Exception e) {
            return "error: " + e.getMessage();
        }
    }

    /** Checks a pipeline file without running it: "ok" or its problems, one per line. */
    public String check(String file) {
        file = ConsoleText.decode(file);
        try {
            runtime.check(Path.of(file), Map.of());
            return "ok\n";
        } catch (io.tokenlab.runtime.pipeline.PipelineException e) {
            return e.getMessage() + "\n";
        }
    }

    /** The compute backends and what the dispatcher chose. */
    public String compute() {
        Compute c = runtime.computeOrNull();
        return c == null ? "no Compute backend is installed\n" : c.describe() + "\n";
    }

    /** The argument as a file name, or null where this locale cannot encode it as one (then it is a name). */
    private static Path asPath(String arg) {
        try {
            return Path.of(arg);
        } catch (java.nio.file.InvalidPathException e) {
            return null;
        }
    }

    private CheckedPipeline find(String pipeline) throws Exception {
        Path file = asPath(pipeline);
        if (file != null && Files.isRegularFile(file)) {
            return runtime.check(file, Map.of());
        }
        CheckedPipeline p = runtime.pipelines().find(pipeline);
        if (p == null) {
            runtime.pipelines().scan();
            p = runtime.pipelines().find(pipeline);
        }
        if (p == null) {
            String problems = runtime.pipelines().problemsOf(pipeline);
            if (!problems.isEmpty()) {
                throw new IllegalArgumentException("pipeline '" + pipeline + "' is not active:\n" + problems);
            }
            throw new IllegalArgumentException("no active pipeline '" + pipeline + "'; see tokenlab:pipelines");
        }
        return p;
    }
}
