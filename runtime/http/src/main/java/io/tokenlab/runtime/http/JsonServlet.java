package io.tokenlab.runtime.http;

import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The frame every API call runs in: the work runs under the per-request time limit, and whatever goes
 * wrong becomes a JSON error with a status; nothing a request does can escape into the server.
 */
abstract class JsonServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(JsonServlet.class.getName());

    /** The work of one request; writes the response itself. */
    interface Handler {
        void handle(HttpServletRequest req, HttpServletResponse resp) throws Exception;
    }

    final transient Frontend frontend;

    JsonServlet(Frontend frontend) {
        this.frontend = frontend;
    }

    /** The handler for this request, or an ApiError (404, 405). */
    abstract Handler route(HttpServletRequest req);

    /** The endpoint label for metrics: a fixed set, never the raw path. */
    abstract String endpoint(HttpServletRequest req);

    @Override
    protected final void service(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        int status;
        try (AutoCloseable inFlight = frontend.metrics().enter()) {
            Handler h = route(req);
            ExecutorService pool = frontend.workers();
            Future<?> f = pool.submit(() -> {
                h.handle(req, resp);
                return null;
            });
            try {
                f.get(frontend.settings().requestTimeoutMillis(), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                f.cancel(true);
                throw ApiError.unavailable("the request took longer than " + frontend.settings().requestTimeoutMillis()
                        + " ms (request.timeout.ms) and was cancelled");
            } catch (ExecutionException e) {
                throw e.getCause() instanceof Exception ? (Exception) e.getCause() : new RuntimeException(e.getCause());
            }
            status = resp.getStatus();
        } catch (ApiError e) {
            status = e.status();
            fail(resp, e);
        } catch (java.util.concurrent.RejectedExecutionException e) {
            status = 503;
            fail(resp, ApiError.unavailable("the HTTP frontend is stopping"));
        } catch (Exception | LinkageError | StackOverflowError e) {
            status = 500;
            LOG.log(Level.WARNING, req.getMethod() + " " + req.getRequestURI() + " failed", e);
            fail(resp, new ApiError(500, "internal error: " + e));
        }
        frontend.metrics().recordResponse(endpoint(req), status);
    }

    private static void fail(HttpServletResponse resp, ApiError e) throws IOException {
        if (resp.isCommitted()) {
            return; // a streamed response already started: the client sees it cut short
        }
        resp.reset();
        if (e.status() == 401) {
            resp.setHeader("WWW-Authenticate", "Bearer realm=\"tokenlab\"");
        }
        if (e.status() == 503) {
            resp.setHeader("Retry-After", "1");
        }
        Json.write(resp, e.status(), e.body());
    }

    static ApiError methodNotAllowed(HttpServletRequest req, String allowed) {
        return new ApiError(405, req.getMethod() + " is not accepted here; use " + allowed).with("allowed", allowed);
    }
}
