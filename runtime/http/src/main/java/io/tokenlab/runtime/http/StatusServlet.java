package io.tokenlab.runtime.http;

import io.tokenlab.runtime.pipeline.PipelineStore;
import jakarta.servlet.http.HttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /health} (the process answers), {@code GET /ready} (every pipeline is active and its
 * techniques are there; 503 listing what is not) and {@code GET /metrics} (Prometheus text).
 */
final class StatusServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    StatusServlet(Frontend f) {
        super(f);
    }

    @Override
    String endpoint(HttpServletRequest req) {
        return req.getServletPath().substring(1);
    }

    @Override
    Handler route(HttpServletRequest req) {
        if (!req.getMethod().equals("GET") && !req.getMethod().equals("HEAD")) {
            throw methodNotAllowed(req, "GET");
        }
        switch (req.getServletPath()) {
            case "/health":
                return (q, r) -> {
                    Map<String, Object> m = new LinkedHashMap<>();
                    m.put("status", "up");
                    m.put("uptime.seconds", (System.nanoTime() - frontend.runtime().startedNanos()) / 1e9);
                    Json.write(r, 200, m);
                };
            case "/ready":
                return (q, r) -> ready(r);
            default:
                frontend.guard().read(req);
                return (q, r) -> {
                    byte[] text = frontend.metrics().render().getBytes(StandardCharsets.UTF_8);
                    r.setStatus(200);
                    r.setContentType("text/plain; version=0.0.4; charset=utf-8");
                    r.setContentLength(text.length);
                    r.getOutputStream().write(text);
                };
        }
    }

    private void ready(jakarta.servlet.http.HttpServletResponse r) throws java.io.IOException {
        List<String> notReady = new ArrayList<>();
        if (frontend.runtime().bundles().busy()) {
            notReady.add("bundles/ is being deployed");
        }
        for (PipelineStore.Loaded l : frontend.runtime().pipelines().all()) {
            if (l.active() == null) {
                notReady.add("pipeline " + l.name() + " is invalid: " + l.problems().split("\n")[0]);
            } else {
                for (String u : Views.unavailable(frontend.runtime(), l.active())) {
                    notReady.add("pipeline " + l.name() + ": " + u);
                }
            }
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("ready", notReady.isEmpty());
        m.put("problems", notReady);
        Json.write(r, notReady.isEmpty() ? 200 : 503, m);
    }
}
