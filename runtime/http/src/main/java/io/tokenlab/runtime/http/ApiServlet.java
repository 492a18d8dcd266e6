package io.tokenlab.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenlab.runtime.io.PortFiles;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.PipelineRunner;
import io.tokenlab.runtime.TokenlabRuntime;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/** Routes {@code /api/v1/*}. */
final class ApiServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;
    private final transient TokenizerCalls tokenizers;
    private final transient BundleUploads bundles;
    private final transient NdjsonRuns ndjson;

    ApiServlet(Frontend f) {
        super(f);
        this.tokenizers = new TokenizerCalls(f);
        this.bundles = new BundleUploads(f.runtime());
        this.ndjson = new NdjsonRuns(f);
    }

    @Override
    String endpoint(HttpServletRequest req) {
        String[] p = parts(req);
        if (p.length == 0) {
            return "api/other";
        }
        switch (p[0]) {
            case "pipelines":
                return p.length >= 3 ? "api/pipelines/run" : "api/pipelines";
            case "techniques":
            case "tokenize":
            case "detokenize":
            case "count":
            case "bundles":
                return "api/" + p[0];
            default:
                return "api/other";
        }
    }

    private static String[] parts(HttpServletRequest req) {
        String info = req.getPathInfo();
        if (info == null || info.equals("/")) {
            return new String[0];
        }
        String[] raw = info.substring(1).split("/", -1);
        for (int i = 0; i < raw.length; i++) {
            raw[i] = URLDecoder.decode(raw[i], StandardCharsets.UTF_8);
        }
        return raw;
    }

    @Override
    Handler route(HttpServletRequest req) {
        String[] p = parts(req);
        String m = req.getMethod();
        Frontend f = frontend;
        long limit = f.settings().maxBodyBytes();
        if (p.length == 1 && p[0].equals("techniques")) {
            f.guard().read(req);
            requireMethod(req, "GET");
            return (q, r) -> Json.write(r, 200, Views.techniques(f.runtime().registry().list()));
        }
        if (p.length == 1 && p[0].equals("pipelines")) {
            f.guard().read(req);
            requireMethod(req, "GET");
            return (q, r) -> {
                f.runtime().pipelines().scan();
                Json.write(r, 200, Views.pipelines(f.runtime()));
            };
        }
        if (p.length == 3 && p[0].equals("pipelines") && p[2].equals("run")) {
            f.guard().read(req);
            requireMethod(req, "POST");
            return (q, r) -> runPipeline(p[1], q, r, limit);
        }
        if (p.length == 1 && (p[0].equals("tokenize") || p[0].equals("detokenize") || p[0].equals("count"))) {
            f.guard().read(req);
            requireMethod(req, "POST");
            return (q, r) -> {
                JsonNode body = Json.object(q, limit);
                Map<String, Object> out = p[0].equals("tokenize") ? tokenizers.tokenize(body)
                        : p[0].equals("detokenize") ? tokenizers.detokenize(body) : tokenizers.count(body);
                Json.write(r, 200, out);
            };
        }
        if (p.length == 1 && p[0].equals("bundles")) {
            requireMethod(req, "POST");
            f.guard().write(req);
            return (q, r) -> Json.write(r, 201, bundles.upload(q.getParameter("name"), Json.body(q, limit)));
        }
        if (p.length == 2 && p[0].equals("bundles")) {
            requireMethod(req, "DELETE");
            f.guard().write(req);
            return (q, r) -> Json.write(r, 200, bundles.delete(p[1]));
        }
        throw ApiError.notFound("no endpoint " + m + " " + req.getRequestURI() + "; endpoints: GET /api/v1/techniques, "
                + "GET /api/v1/pipelines, POST /api/v1/pipelines/{name}/run, POST /api/v1/tokenize, "
                + "POST /api/v1/detokenize, POST /api/v1/count, POST /api/v1/bundles, DELETE /api/v1/bundles/{name}, "
                + "GET /api/v1/events");
    }

    private static void requireMethod(HttpServletRequest req, String method) {
        if (!req.getMethod().equals(method)) {
            throw methodNotAllowed(req, method);
        }
    }

    /**
     * Text and id ports take JSON ({@code inputs}, {@code set}) or NDJSON; other ports take the file itself
     * as the body, with overrides as {@code ?set=stage.param=value}. The query string is parsed by hand:
     * the container's parameter parsing would consume a form-typed body.
     */
    private void runPipeline(String name, HttpServletRequest q, HttpServletResponse r, long limit) throws Exception {
        String type = q.getContentType() == null ? "" : q.getContentType().toLowerCase();
        Map<String, String> querySet = QuerySets.of(q.getQueryString());
        if (type.startsWith("application/x-ndjson")) {
            ndjson.run(name, querySet, q, r, limit);
            return;
        }
        CheckedPipeline p = frontend.pipelineRuns().resolve(name, querySet);
        PipelineRunner.Result res;
        if (PipelineRuns.takesJson(p)) {
            JsonNode body = Json.object(q, limit);
            Map<String, String> set = new java.util.LinkedHashMap<>(querySet);
            set.putAll(Requests.params(body, "set"));
            if (!set.isEmpty()) {
                p = frontend.pipelineRuns().resolve(name, set);
            }
            res = frontend.pipelineRuns().run(p, PipelineRuns.input(p, body));
        } else {
            res = frontend.pipelineRuns().run(p, PipelineRuns.rawInput(p, Json.body(q, limit)));
        }
        send(p, res, r);
    }

    private static void send(CheckedPipeline p, PipelineRunner.Result res, HttpServletResponse r) throws Exception {
        Map<String, String> versions = PipelineRuns.versions(p, res);
        Object json = PipelineRuns.jsonOutput(p, res.output());
        if (json != null) {
            Json.write(r, 200, PipelineRuns.response(json, versions));
            return;
        }
        var port = TokenlabRuntime.port(p.last().outputPort());
        byte[] bytes = PortFiles.encode(port, res.output());
        r.setStatus(200);
        r.setContentType(MediaTypes.of(port));
        r.setHeader("X-Tokenlab-Versions", NdjsonRuns.header(versions));
        r.setContentLength(bytes.length);
        r.getOutputStream().write(bytes);
    }
}
