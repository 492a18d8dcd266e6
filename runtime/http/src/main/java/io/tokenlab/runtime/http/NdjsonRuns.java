package io.tokenlab.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.PipelineRunner;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Large batches as NDJSON: one input per request line (a JSON string for text, an id array for ids),
 * one output per response line, run in batches so the response streams while the body is read.
 */
final class NdjsonRuns {
    static final int BATCH = 512;
    private final Frontend f;

    NdjsonRuns(Frontend f) {
        this.f = f;
    }

    void run(String name, Map<String, String> set, HttpServletRequest q, HttpServletResponse r, long limit)
            throws Exception {
        CheckedPipeline p = f.pipelineRuns().resolve(name, set);
        PortType in = TokenlabRuntime.port(p.first().inputPort());
        PortType out = TokenlabRuntime.port(p.last().outputPort());
        if (!isLinePort(in) || !isLinePort(out)) {
            throw new ApiError(415, "NDJSON streams text and token-id ports; pipeline '" + p.name() + "' goes "
                    + in.portName() + " -> " + out.portName());
        }
        long bytes = 0;
        int lineNo = 0;
        List<Object> batch = new ArrayList<>();
        OutputStream os = null;
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(q.getInputStream(), StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                lineNo++;
                bytes += line.length() + 1;
                if (bytes > limit) {
                    throw new ApiError(413, "NDJSON body larger than " + limit + " bytes (max.body.bytes) at line " + lineNo);
                }
                if (line.isBlank()) {
                    continue;
                }
                batch.add(item(in, Json.parse(line.getBytes(StandardCharsets.UTF_8)), lineNo));
                if (batch.size() == BATCH) {
                    os = flush(p, batch, r, os);
                }
            }
        }
        if (!batch.isEmpty() || os == null) {
            os = flush(p, batch, r, os);
        }
        os.flush();
    }

    private OutputStream flush(CheckedPipeline p, List<Object> batch, HttpServletResponse r, OutputStream os)
            throws Exception {
        PipelineRunner.Result res = f.pipelineRuns().run(p, new ArrayList<>(batch));
        if (os == null) {
            r.setStatus(200);
            r.setContentType("application/x-ndjson");
            r.setHeader("X-Tokenlab-Versions", header(PipelineRuns.versions(p, res)));
            os = r.getOutputStream();
        }
        for (Object o : (List<?>) res.output()) {
            os.write(Json.MAPPER.writeValueAsBytes(o));
            os.write('\n');
        }
        batch.clear();
        return os;
    }

    private static boolean isLinePort(PortType t) {
        return t == PortType.TEXT || t == PortType.TOKEN_IDS || t == PortType.IMAGE_TOKENS;
    }

    private static Object item(PortType in, JsonNode n, int line) {
        if (in == PortType.TEXT) {
            if (!n.isTextual()) {
                throw ApiError.badRequest("NDJSON line " + line + ": expected a JSON string, got " + Requests.type(n));
            }
            return n.asText();
        }
        return Requests.ids(n, "NDJSON line " + line);
    }

    static String header(Map<String, String> versions) {
        return versions.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue()).collect(Collectors.joining(","));
    }
}
