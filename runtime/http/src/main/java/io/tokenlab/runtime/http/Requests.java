package io.tokenlab.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Typed access to the fields of a JSON request, each failure a 400 naming the field and what it takes. */
final class Requests {
    private Requests() {
    }

    static String string(JsonNode body, String field, String fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            if (fallback == null) {
                throw ApiError.badRequest("field '" + field + "' is missing");
            }
            return fallback;
        }
        if (!n.isTextual()) {
            throw ApiError.badRequest("field '" + field + "' must be a string, got " + type(n));
        }
        return n.asText();
    }

    /** A string or an array of strings (the TEI shapes accept both). */
    static List<String> strings(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            throw ApiError.badRequest("field '" + field + "' is missing; expected an array of strings");
        }
        if (n.isTextual()) {
            return List.of(n.asText());
        }
        if (!n.isArray()) {
            throw ApiError.badRequest("field '" + field + "' must be an array of strings, got " + type(n));
        }
        List<String> out = new ArrayList<>(n.size());
        for (int i = 0; i < n.size(); i++) {
            JsonNode e = n.get(i);
            if (!e.isTextual()) {
                throw ApiError.badRequest(field + "[" + i + "] must be a string, got " + type(e));
            }
            out.add(e.asText());
        }
        return out;
    }

    static int[] ids(JsonNode n, String where) {
        if (n == null || !n.isArray()) {
            throw ApiError.badRequest(where + " must be an array of token ids, got " + type(n));
        }
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) {
            JsonNode e = n.get(i);
            if (!e.canConvertToInt() || !e.isIntegralNumber()) {
                throw ApiError.badRequest(where + "[" + i + "] must be an integer token id, got " + e);
            }
            out[i] = e.intValue();
        }
        return out;
    }

    /** Either one id array or an array of id arrays. */
    static List<int[]> idLists(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isArray()) {
            throw ApiError.badRequest("field '" + field + "' must be an array of token-id arrays, got " + type(n));
        }
        List<int[]> out = new ArrayList<>();
        if (n.isEmpty() || n.get(0).isNumber()) {
            out.add(ids(n, field));
            return out;
        }
        for (int i = 0; i < n.size(); i++) {
            out.add(ids(n.get(i), field + "[" + i + "]"));
        }
        return out;
    }

    /** An object of parameter values, each kept as text: the metatype check converts and ranges them. */
    static Map<String, String> params(JsonNode body, String field) {
        JsonNode n = body.get(field);
        Map<String, String> out = new LinkedHashMap<>();
        if (n == null || n.isNull()) {
            return out;
        }
        if (!n.isObject()) {
            throw ApiError.badRequest("field '" + field + "' must be an object of parameter values, got " + type(n));
        }
        n.fields().forEachRemaining(e -> {
            JsonNode v = e.getValue();
            if (v.isArray()) {
                List<String> parts = new ArrayList<>();
                v.forEach(x -> parts.add(x.asText()));
                out.put(e.getKey(), String.join(",", parts));
            } else if (v.isValueNode()) {
                out.put(e.getKey(), v.asText());
            } else {
                throw ApiError.badRequest(field + "." + e.getKey() + " must be a string, number, boolean or list");
            }
        });
        return out;
    }

    static boolean bool(JsonNode body, String field, boolean fallback) {
        JsonNode n = body.get(field);
        if (n == null || n.isNull()) {
            return fallback;
        }
        if (!n.isBoolean()) {
            throw ApiError.badRequest("field '" + field + "' must be true or false, got " + n);
        }
        return n.booleanValue();
    }

    static String type(JsonNode n) {
        return n == null ? "nothing" : n.getNodeType().name().toLowerCase();
    }
}
