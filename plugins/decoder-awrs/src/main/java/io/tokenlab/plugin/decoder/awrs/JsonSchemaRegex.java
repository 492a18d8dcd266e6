package io.tokenlab.plugin.decoder.awrs;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Translates a JSON-schema subset into a regular expression over the document's text, so it
 * compiles to the same byte automaton as any other constraint.
 *
 * <p>Supported: {@code type} (object, array, string, integer, number, boolean, null, or a list of
 * them), {@code properties} with {@code required} (properties appear in the schema's order; optional
 * ones may be left out; no others are allowed), {@code items}, {@code minItems}/{@code maxItems},
 * {@code minLength}/{@code maxLength}, {@code pattern} (our regex syntax), {@code enum},
 * {@code const}, {@code anyOf}/{@code oneOf}. Output is compact JSON with an optional single space
 * after ':' and ','.
 */
final class JsonSchemaRegex {
    private static final String CHAR = "(?:[^\"\\\\\\x00-\\x1f]|\\\\[\"\\\\/bfnrt]|\\\\u[0-9a-fA-F]{4})";
    private static final String SPACE = " ?";
    private static final String INTEGER = "-?(?:0|[1-9][0-9]{0,15})";
    private static final String NUMBER = INTEGER + "(?:\\.[0-9]{1,15})?(?:[eE][+-]?[0-9]{1,3})?";

    private JsonSchemaRegex() {
    }

    static String toRegex(String schemaJson) {
        return of(JsonText.parse(schemaJson));
    }

    @SuppressWarnings("unchecked")
    private static String of(Object schema) {
        if (schema instanceof Boolean b) {
            if (!b) {
                throw new IllegalArgumentException("JSON schema: 'false' matches nothing");
            }
            return of(Map.of("type", List.of("string", "number", "boolean", "null")));
        }
        if (!(schema instanceof Map)) {
            throw new IllegalArgumentException("JSON schema: expected an object, got " + schema);
        }
        Map<String, Object> s = (Map<String, Object>) schema;
        if (s.containsKey("const")) {
            return literal(s.get("const"));
        }
        if (s.containsKey("enum")) {
            List<String> options = new ArrayList<>();
            for (Object v : (List<Object>) s.get("enum")) {
                options.add(literal(v));
            }
            return "(?:" + String.join("|", options) + ")";
        }
        for (String combinator : List.of("anyOf", "oneOf")) {
            if (s.containsKey(combinator)) {
                List<String> options = new ArrayList<>();
                for (Object sub : (List<Object>) s.get(combinator)) {
                    options.add(of(sub));
                }
                return "(?:" + String.join("|", options) + ")";
            }
        }
        Object type = s.get("type");
        if (type instanceof List<?> types) {
            List<String> options = new ArrayList<>();
            for (Object t : types) {
                Map<String, Object> copy = new java.util.LinkedHashMap<>(s);
                copy.put("type", t);
                options.add(of(copy));
            }
            return "(?:" + String.join("|", options) + ")";
        }
        if (type == null) {
            type = s.containsKey("properties") ? "object" : s.containsKey("items") ? "array" : "string";
        }
        return switch (type.toString()) {
            case "object" -> object(s);
            case "array" -> array(s);
            case "string" -> string(s);
            case "integer" -> number(s, INTEGER);
            case "number" -> number(s, NUMBER);
            case "boolean" -> "(?:true|false)";
            case "null" -> "null";
            default -> throw new IllegalArgumentException("JSON schema: unsupported type '" + type + "'");
        };
    }

    @SuppressWarnings("unchecked")
    private static String object(Map<String, Object> s) {
        Map<String, Object> properties = (Map<String, Object>) s.getOrDefault("properties", Map.of());
        List<Object> required = (List<Object>) s.getOrDefault("required", List.of());
        List<String> members = new ArrayList<>();
        List<Boolean> isRequired = new ArrayList<>();
        for (Map.Entry<String, Object> p : properties.entrySet()) {
            members.add(literal(p.getKey()) + SPACE + ":" + SPACE + of(p.getValue()));
            isRequired.add(required.contains(p.getKey()));
        }
        return "\\{" + members(members, isRequired, 0, true) + "\\}";
    }

    /**
     * Members i.. in order, separated by commas; optional ones may be absent. {@code first} says no
     * comma precedes the next present member. Linear in size: each optional member either starts the
     * list (then the rest follow with commas) or is skipped.
     */
    private static String members(List<String> members, List<Boolean> required, int i, boolean first) {
        if (i == members.size()) {
            return "";
        }
        String self = (first ? "" : "," + SPACE) + members.get(i);
        String present = self + members(members, required, i + 1, false);
        if (required.get(i)) {
            return present;
        }
        return "(?:" + present + "|" + members(members, required, i + 1, first) + ")";
    }

    private static String array(Map<String, Object> s) {
        String item = of(s.getOrDefault("items", true));
        int min = intOf(s.get("minItems"), 0);
        int max = intOf(s.get("maxItems"), -1);
        if (max == 0) {
            return "\\[\\]";
        }
        String rest = max < 0 ? (min > 1 ? "{" + (min - 1) + ",}" : "*") : "{" + Math.max(0, min - 1) + "," + (max - 1) + "}";
        String nonEmpty = item + "(?:," + SPACE + item + ")" + rest;
        return "\\[" + (min == 0 ? "(?:" + nonEmpty + ")?" : nonEmpty) + "\\]";
    }

    private static String string(Map<String, Object> s) {
        if (s.containsKey("pattern")) {
            return "\"(?:" + s.get("pattern") + ")\"";
        }
        int min = intOf(s.get("minLength"), 0);
        int max = intOf(s.get("maxLength"), -1);
        return "\"" + CHAR + "{" + min + "," + (max < 0 ? "" : String.valueOf(max)) + "}\"";
    }

    private static String number(Map<String, Object> s, String pattern) {
        Object minimum = s.get("minimum");
        if (minimum instanceof Double d && d >= 0) {
            return pattern.substring(2); // drop the optional minus sign
        }
        return pattern;
    }

    private static int intOf(Object v, int fallback) {
        return v instanceof Double d ? d.intValue() : fallback;
    }

    /** A regex matching exactly the JSON text of a value. */
    private static String literal(Object v) {
        String json;
        if (v == null) {
            json = "null";
        } else if (v instanceof String str) {
            StringBuilder sb = new StringBuilder("\"");
            for (char c : str.toCharArray()) {
                switch (c) {
                    case '"' -> sb.append("\\\"");
                    case '\\' -> sb.append("\\\\");
                    case '\n' -> sb.append("\\n");
                    default -> sb.append(c < 0x20 ? String.format(Locale.ROOT, "\\u%04x", (int) c) : String.valueOf(c));
                }
            }
            json = sb.append('"').toString();
        } else if (v instanceof Double d && d == Math.rint(d) && Math.abs(d) < 1e15) {
            json = String.valueOf(d.longValue());
        } else {
            json = v.toString();
        }
        StringBuilder quoted = new StringBuilder();
        for (char c : json.toCharArray()) {
            if ("\\^$.|?*+()[]{}".indexOf(c) >= 0) {
                quoted.append('\\');
            }
            quoted.append(c);
        }
        return quoted.toString();
    }
}
