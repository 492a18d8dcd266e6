package io.tokenlab.runtime.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * The frontend's settings in effect: ConfigAdmin values, each overridden by the framework or system
 * property {@code tokenlab.http.<name>} when that is set ({@code tokenlab.http} itself for the address).
 */
record Settings(String address, String tokenFile, String token, long maxBodyBytes, long requestTimeoutMillis,
                String teiTechnique, Map<String, String> teiParams) {

    static Settings of(HttpConfig c, UnaryOperator<String> properties) {
        String address = or(properties.apply("tokenlab.http"), c.address());
        String tokenFile = or(properties.apply("tokenlab.http.token.file"), c.token_file());
        String token = or(properties.apply("tokenlab.http.token"), c.token());
        long body = number(properties.apply("tokenlab.http.max.body.bytes"), c.max_body_bytes(), "tokenlab.http.max.body.bytes");
        long timeout = number(properties.apply("tokenlab.http.request.timeout.ms"), c.request_timeout_ms(),
                "tokenlab.http.request.timeout.ms");
        String tei = or(properties.apply("tokenlab.http.tei.technique"), c.tei_technique());
        String teiParams = properties.apply("tokenlab.http.tei.params");
        List<String> pairs = teiParams != null ? Arrays.asList(teiParams.split(","))
                : c.tei_params() == null ? List.of() : Arrays.asList(c.tei_params());
        return new Settings(address, tokenFile, token, body, timeout, tei, pairs(pairs));
    }

    private static String or(String property, String configured) {
        return property != null ? property : configured;
    }

    private static long number(String property, long configured, String name) {
        if (property == null || property.isBlank()) {
            return configured;
        }
        try {
            return Long.parseLong(property.trim());
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException(name + "=" + property + " is not a whole number");
        }
    }

    private static Map<String, String> pairs(List<String> pairs) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String p : pairs) {
            if (p.isBlank()) {
                continue;
            }
            int eq = p.indexOf('=');
            if (eq <= 0) {
                throw new IllegalArgumentException("tei.params entry '" + p + "' is not param=value");
            }
            out.put(p.substring(0, eq).trim(), p.substring(eq + 1).trim());
        }
        return out;
    }
}
