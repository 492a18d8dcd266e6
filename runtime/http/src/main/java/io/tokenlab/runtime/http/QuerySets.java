package io.tokenlab.runtime.http;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** The {@code set=stage.param=value} overrides of a query string, as {@code --set} takes them. */
final class QuerySets {
    private QuerySets() {
    }

    static Map<String, String> of(String query) {
        Map<String, String> out = new LinkedHashMap<>();
        if (query == null || query.isEmpty()) {
            return out;
        }
        for (String pair : query.split("&")) {
            int eq = pair.indexOf('=');
            String key = URLDecoder.decode(eq < 0 ? pair : pair.substring(0, eq), StandardCharsets.UTF_8);
            if (!key.equals("set")) {
                continue;
            }
            String value = eq < 0 ? "" : URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
            int inner = value.indexOf('=');
            if (inner <= 0) {
                throw ApiError.badRequest("query parameter set=" + value + " is not stage.param=value");
            }
            out.put(value.substring(0, inner), value.substring(inner + 1));
        }
        return out;
    }
}
