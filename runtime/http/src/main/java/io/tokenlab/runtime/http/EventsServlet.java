package io.tokenlab.runtime.http;

import jakarta.servlet.AsyncContext;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * {@code GET /api/v1/events}: server-sent events. Each client gets the technique list at once and
 * again whenever it changes (a jar deployed, swapped or removed), so the console updates without
 * reloading. A watcher thread waits on the registry's change signal and compares snapshots.
 */
final class EventsServlet extends HttpServlet {
    private static final long serialVersionUID = 1L;
    private static final Logger LOG = Logger.getLogger(EventsServlet.class.getName());
    private static final long KEEPALIVE_MILLIS = 15_000;

    private final transient Frontend frontend;
    private final transient Set<AsyncContext> clients = ConcurrentHashMap.newKeySet();
    private final transient Thread watcher;
    private volatile boolean running = true;
    private volatile String last = "";

    EventsServlet(Frontend frontend) {
        this.frontend = frontend;
        this.watcher = new Thread(this::watch, "tokenlab-http-events");
        this.watcher.setDaemon(true);
        this.watcher.start();
    }

    @Override
    protected void doGet(HttpServletRequest req, HttpServletResponse resp) throws IOException {
        try {
            frontend.guard().read(req);
        } catch (ApiError e) {
            Json.write(resp, e.status(), e.body());
            return;
        }
        resp.setStatus(200);
        resp.setContentType("text/event-stream");
        resp.setCharacterEncoding("UTF-8");
        resp.setHeader("Cache-Control", "no-cache");
        AsyncContext async = req.startAsync();
        async.setTimeout(0);
        String snapshot = snapshot();
        if (send(async, "techniques", snapshot)) {
            clients.add(async);
        }
    }

    private String snapshot() throws IOException {
        return Json.MAPPER.writeValueAsString(java.util.Map.of(
                "techniques", Views.techniques(frontend.runtime().registry().list()),
                "swaps", frontend.metrics().swaps()));
    }

    private void watch() {
        long lastSent = System.currentTimeMillis();
        while (running) {
            try {
                frontend.runtime().registry().awaitChange(1000);
                String now = snapshot();
                if (!now.equals(last)) {
                    last = now;
                    broadcast("techniques", now);
                    lastSent = System.currentTimeMillis();
                } else if (System.currentTimeMillis() - lastSent > KEEPALIVE_MILLIS) {
                    broadcast(null, null); // a comment keeps proxies from closing an idle stream
                    lastSent = System.currentTimeMillis();
                }
            } catch (InterruptedException e) {
                return;
            } catch (IOException | RuntimeException e) {
                LOG.warning("event stream: " + e);
            }
        }
    }

    private void broadcast(String event, String data) {
        for (AsyncContext c : clients) {
            if (!send(c, event, data)) {
                clients.remove(c);
            }
        }
    }

    private static boolean send(AsyncContext c, String event, String data) {
        String frame = event == null ? ": keepalive\n\n" : "event: " + event + "\ndata: " + data + "\n\n";
        synchronized (c) {
            try {
                var out = c.getResponse().getOutputStream();
                out.write(frame.getBytes(StandardCharsets.UTF_8));
                out.flush();
                return true;
            } catch (IOException | IllegalStateException e) {
                try {
                    c.complete();
                } catch (IllegalStateException ignored) {
                    // already completed by the container
                }
                return false;
            }
        }
    }

    @Override
    public void destroy() {
        running = false;
        watcher.interrupt();
        for (AsyncContext c : clients) {
            try {
                c.complete();
            } catch (IllegalStateException ignored) {
                // the client went away first
            }
        }
        clients.clear();
    }
}
