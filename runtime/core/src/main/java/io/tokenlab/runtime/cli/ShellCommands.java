package io.tokenlab.runtime.cli;

import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.io.PortFiles;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
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

    /** Lists techniques with versions, states and parameters. */
    public String plugins() {
        return PluginTable.text(runtime.registry().list(), true);
    }

    /** Lists the pipelines in pipelines/, which are active, and the problems of those that are not. */
    public String pipelines() {
        runtime.pipelines().scan();
        StringBuilder sb = new StringBuilder();
        for (PipelineStore.Loaded l : runtime.pipelines().all()) {
            sb.append(String.format("%-24s %-10s %s%n", l.name(), l.active() != null ? "active" : "invalid",
                    l.file().getFileName()));
            if (!l.problems().isEmpty()) {
                sb.append("    ").append(l.active() != null ? "last edit rejected, running the last good version:\n    " : "")
                        .append(l.problems().replace("\n", "\n    ")).append('\n');
            }
        }
        return sb.length() == 0 ? "no pipelines in " + runtime.home().resolve("pipelines") + "\n" : sb.toString();
    }

    /** Runs a pipeline (by name or file) on the text given, returning its output. */
    public String run(String pipeline, String text) {
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

    private CheckedPipeline find(String pipeline) throws Exception {
        Path file = Path.of(pipeline);
        if (Files.isRegularFile(file)) {
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
