package io.tokenlab.runtime.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.util.Map;

/**
 * The web console at {@code /}: a fixed set of static files inside this bundle (nothing from a CDN).
 * Only the names listed are served, so no path can reach anything else in the bundle.
 */
final class ConsoleServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Map<String, String> FILES = Map.of(
            "/index.html", "text/html; charset=utf-8",
            "/console.css", "text/css; charset=utf-8",
            "/console.js", "text/javascript; charset=utf-8");

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        String path = req.getPathInfo() == null ? req.getServletPath() : req.getServletPath() + req.getPathInfo();
        if (path.isEmpty() || path.equals("/")) {
            path = "/index.html";
        }
        String type = FILES.get(path);
        if (type == null) {
            Json.write(resp, 404, new ApiError(404, "no such page " + path + "; the console is at /, the API under "
                    + "/api/v1/").body());
            return;
        }
        try (InputStream in = ConsoleServlet.class.getResourceAsStream("/console" + path)) {
            if (in == null) {
                Json.write(resp, 500, new ApiError(500, "console file " + path + " is missing from the bundle").body());
                return;
            }
            byte[] bytes = in.readAllBytes();
            resp.setStatus(200);
            resp.setContentType(type);
            resp.setHeader("Cache-Control", "no-cache");
            resp.setHeader("Content-Security-Policy", "default-src 'self'");
            resp.setContentLength(bytes.length);
            resp.getOutputStream().write(bytes);
        }
    }
}
