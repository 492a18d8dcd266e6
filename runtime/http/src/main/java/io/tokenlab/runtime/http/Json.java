package io.tokenlab.runtime.http;

import com.fasterxml.jackson.core.JsonLocation;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Request bodies in and JSON out, with the body size limit applied while reading. */
final class Json {
    static final ObjectMapper MAPPER = new ObjectMapper()
            .configure(DeserializationFeature.FAIL_ON_TRAILING_TOKENS, true)
            .configure(SerializationFeature.FAIL_ON_EMPTY_BEANS, false);

    private Json() {
    }

    /** The whole body, refusing more than {@code limit} bytes whatever the Content-Length says. */
    static byte[] body(HttpServletRequest req, long limit) throws IOException {
        long declared = req.getContentLengthLong();
        if (declared > limit) {
            throw tooLarge(limit);
        }
        try (InputStream in = req.getInputStream()) {
            byte[] bytes = in.readNBytes((int) Math.min(Integer.MAX_VALUE - 8, limit + 1));
            if (bytes.length > limit) {
                throw tooLarge(limit);
            }
            return bytes;
        }
    }

    private static ApiError tooLarge(long limit) {
        return new ApiError(413, "request body larger than " + limit + " bytes (max.body.bytes)")
                .with("limit", limit);
    }

    /** The body as a JSON object; malformed JSON is a 400 naming line and column. */
    static JsonNode object(HttpServletRequest req, long limit) throws IOException {
        byte[] bytes = body(req, limit);
        if (bytes.length == 0) {
            throw ApiError.badRequest("empty request body; expected a JSON object");
        }
        JsonNode node = parse(bytes);
        if (!node.isObject()) {
            throw ApiError.badRequest("expected a JSON object, got " + node.getNodeType().name().toLowerCase());
        }
        return node;
    }

    static JsonNode parse(byte[] bytes) {
        try {
            return MAPPER.readTree(bytes);
        } catch (JsonProcessingException e) {
            JsonLocation at = e.getLocation();
            String where = at == null ? "" : " at line " + at.getLineNr() + ", column " + at.getColumnNr();
            throw ApiError.badRequest("malformed JSON" + where + ": " + e.getOriginalMessage());
        } catch (IOException e) {
            throw ApiError.badRequest("unreadable body: " + e.getMessage());
        }
    }

    static void write(HttpServletResponse resp, int status, Object value) throws IOException {
        byte[] bytes = MAPPER.writeValueAsBytes(value);
        resp.setStatus(status);
        resp.setContentType("application/json");
        resp.setCharacterEncoding(StandardCharsets.UTF_8.name());
        resp.setContentLength(bytes.length);
        resp.getOutputStream().write(bytes);
    }
}
