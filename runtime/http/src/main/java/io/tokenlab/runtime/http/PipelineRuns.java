package io.tokenlab.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenlab.api.Progress;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.io.PortFiles;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.CheckedStage;
import io.tokenlab.runtime.pipeline.PipelineException;
import io.tokenlab.runtime.pipeline.PipelineRunner;
import io.tokenlab.runtime.pipeline.PipelineStore;
import io.tokenlab.runtime.pipeline.PipelineValidator;
import io.tokenlab.runtime.pipeline.RunFailure;
import io.tokenlab.runtime.pipeline.Suggestions;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Collectors;

/**
 * {@code POST /api/v1/pipelines/{name}/run}: finds the pipeline, applies {@code set} overrides through the
 * same checks as {@code --set}, and runs it through the runtime's runner, so its stages hold leases
 * exactly as CLI and shell runs do.
 */
final class PipelineRuns {
    private final TokenlabRuntime runtime;
    private final Metrics metrics;

    PipelineRuns(TokenlabRuntime runtime, Metrics metrics) {
        this.runtime = runtime;
        this.metrics = metrics;
    }

    /** The active pipeline with the overrides applied, or the 400/404/503 that says why it cannot run. */
    CheckedPipeline resolve(String name, Map<String, String> set) {
        PipelineStore store = runtime.pipelines();
        CheckedPipeline p = store.find(name);
        if (p == null) {
            store.scan();
            p = store.find(name);
        }
        if (p == null) {
            String problems = store.problemsOf(name);
            if (!problems.isEmpty()) {
                PipelineStore.Loaded l = store.all().stream().filter(x -> matches(x, name)).findFirst().orElse(null);
                if (l != null) {
                    try {
                        runtime.check(l.file(), set);
                    } catch (PipelineException e) {
                        throw Problems.error(e);
                    }
                }
                throw ApiError.badRequest("pipeline '" + name + "' does not pass its checks:\n" + problems);
            }
            List<String> names = store.all().stream().map(PipelineStore.Loaded::name).collect(Collectors.toList());
            List<String> close = Suggestions.closestAll(name, names, 3);
            throw ApiError.notFound("no pipeline '" + name + "'" + (close.isEmpty() ? "" : "; did you mean "
                    + String.join(" or ", close) + "?")).with("closest", close).with("pipelines", names);
        }
        if (!set.isEmpty()) {
            try {
                p = new PipelineValidator(runtime.registry()).check(p.definition(), set);
            } catch (PipelineException e) {
                throw Problems.error(e);
            }
        }
        List<String> missing = Views.unavailable(runtime, p);
        if (!missing.isEmpty() && !runtime.bundles().busy()) {
            throw ApiError.unavailable("pipeline '" + p.name() + "' is unavailable: " + String.join("; ", missing))
                    .with("unavailable", missing);
        }
        return p;
    }

    private static boolean matches(PipelineStore.Loaded l, String name) {
        String f = l.file().getFileName().toString();
        return f.equals(name) || f.equals(name + ".yaml") || f.equals(name + ".yml") || l.name().equals(name);
    }

    /** Whether the pipeline's input is given as JSON (text and id ports) rather than as a file. */
    static boolean takesJson(CheckedPipeline p) {
        PortType port = TokenlabRuntime.port(p.first().inputPort());
        return port == PortType.TEXT || port == PortType.TOKEN_IDS || port == PortType.IMAGE_TOKENS
                || port == PortType.INDICES;
    }

    /** The JSON {@code inputs} as the value of the pipeline's input port. */
    static Object input(CheckedPipeline p, JsonNode body) {
        PortType port = TokenlabRuntime.port(p.first().inputPort());
        JsonNode inputs = body.get("inputs");
        switch (port) {
            case TEXT:
                return Requests.strings(body, "inputs");
            case TOKEN_IDS:
            case IMAGE_TOKENS:
                return Requests.idLists(body, "inputs");
            case INDICES:
                return Requests.ids(inputs, "inputs");
            default:
                throw new ApiError(415, "pipeline '" + p.name() + "' takes " + port.portName() + " ("
                        + port.fileFormat() + "): send the file itself as the body with Content-Type "
                        + MediaTypes.of(port) + ", not JSON");
        }
    }

    /** A binary body (image, safetensors, npy) read as the port's file format. */
    static Object rawInput(CheckedPipeline p, byte[] body) {
        PortType port = TokenlabRuntime.port(p.first().inputPort());
        try {
            return PortFiles.read(port, new ByteArrayInputStream(body), "request body");
        } catch (IOException | RuntimeException e) {
            throw ApiError.badRequest("the body is not a valid " + port.portName() + " input (" + port.fileFormat()
                    + "): " + e.getMessage());
        }
    }

    /** Runs and records the outcome; failures become API errors naming stage, technique and version. */
    PipelineRunner.Result run(CheckedPipeline p, Object input) {
        long t0 = System.nanoTime();
        try {
            PipelineRunner.Result r = runtime.run(p, input, Progress.NONE);
            metrics.recordRun(p.name(), versions(p, r), true, (System.nanoTime() - t0) / 1e9);
            return r;
        } catch (RunFailure e) {
            metrics.recordRun(p.name(), Map.of(), false, (System.nanoTime() - t0) / 1e9);
            if (e.getMessage().contains("is unavailable")) {
                throw ApiError.unavailable(e.getMessage());
            }
            Throwable cause = e.getCause();
            int status = cause instanceof IllegalArgumentException
                    || cause instanceof io.tokenlab.api.InvalidParameterException ? 400 : 500;
            throw new ApiError(status, e.getMessage());
        }
    }

    /** stage -> technique@version, as the response's {@code versions}. */
    static Map<String, String> versions(CheckedPipeline p, PipelineRunner.Result r) {
        Map<String, String> out = new TreeMap<>();
        for (CheckedStage s : p.stages()) {
            String v = r.versions().get(s.id());
            if (v != null) {
                out.put(s.id(), s.technique() + "@" + v);
            }
        }
        return out;
    }

    /** The output as JSON when its port is text or ids, else null (the caller sends the file). */
    @SuppressWarnings("unchecked")
    static Object jsonOutput(CheckedPipeline p, Object output) {
        PortType port = TokenlabRuntime.port(p.last().outputPort());
        switch (port) {
            case TEXT:
            case TOKEN_IDS:
            case IMAGE_TOKENS:
                return new ArrayList<>((List<Object>) output);
            case INDICES:
                return output;
            default:
                return null;
        }
    }

    static Map<String, Object> response(Object outputs, Map<String, String> versions) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("outputs", outputs);
        m.put("versions", versions);
        return m;
    }
}
