package io.tokenlab.runtime.http;

import java.util.LinkedHashMap;
import java.util.Map;

/** A request that cannot be served, with the HTTP status and the details a client needs to fix it. */
final class ApiError extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final int status;
    private final transient Map<String, Object> details = new LinkedHashMap<>();

    ApiError(int status, String message) {
        super(message);
        this.status = status;
    }

    ApiError with(String key, Object value) {
        details.put(key, value);
        return this;
    }

    int status() {
        return status;
    }

    Map<String, Object> body() {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("error", getMessage());
        out.put("status", status);
        out.putAll(details);
        return out;
    }

    static ApiError badRequest(String message) {
        return new ApiError(400, message);
    }

    static ApiError notFound(String message) {
        return new ApiError(404, message);
    }

    static ApiError unavailable(String message) {
        return new ApiError(503, message);
    }
}
