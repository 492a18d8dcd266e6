package io.tokenlab.runtime.http;

import jakarta.servlet.http.HttpServletRequest;

/**
 * Who may call what. On loopback, reads are open and writes need the token; on any other address every
 * call but {@code /health} and {@code /ready} needs it. Without a token, writes are refused outright.
 */
final class Guard {
    private final BearerToken token;
    private final boolean loopback;

    Guard(BearerToken token, boolean loopback) {
        this.token = token;
        this.loopback = loopback;
    }

    void read(HttpServletRequest req) {
        if (!loopback) {
            require(req, "this runtime serves a non-loopback address");
        }
    }

    void write(HttpServletRequest req) {
        if (token == null) {
            throw new ApiError(403, "uploading and deleting bundles needs a bearer token, and none is configured "
                    + "(set tokenlab.http.token.file, or token.file in ConfigAdmin PID io.tokenlab.http)");
        }
        require(req, "this endpoint changes the runtime");
    }

    private void require(HttpServletRequest req, String why) {
        String auth = req.getHeader("Authorization");
        if (auth == null && req.getRequestURI().endsWith("/events")) {
            String q = req.getParameter("access_token"); // EventSource cannot send headers
            auth = q == null ? null : "Bearer " + q;
        }
        if (token == null || !token.accepts(auth)) {
            throw new ApiError(401, (auth == null ? "missing" : "wrong") + " bearer token: " + why
                    + "; send 'Authorization: Bearer <token>'");
        }
    }
}
