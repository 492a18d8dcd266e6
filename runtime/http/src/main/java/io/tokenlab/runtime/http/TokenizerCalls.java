package io.tokenlab.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * {@code /api/v1/tokenize}, {@code /detokenize} and {@code /count}: the calls a token counter makes
 * most, each on a leased tokenizer technique with checked parameters.
 */
final class TokenizerCalls {
    private final Frontend f;

    TokenizerCalls(Frontend f) {
        this.f = f;
    }

    /** Request body fields shared by the three calls. */
    private Leasing.Held open(JsonNode body, String endpoint) {
        String technique = Requests.string(body, "technique", null);
        Map<String, String> params = Requests.params(body, "params");
        Parameters checked = f.leasing().check(technique, params);
        return f.leasing().open(technique, checked, endpoint);
    }

    Map<String, Object> tokenize(JsonNode body) {
        List<String> texts = Requests.strings(body, "texts");
        boolean offsets = Requests.bool(body, "offsets", true);
        return timed("api/tokenize", body, held -> {
            List<Object> results = new ArrayList<>();
            for (String text : texts) {
                Map<String, Object> r = new LinkedHashMap<>();
                if (offsets) {
                    Encoding e = withOffsets(held.tokenizer, text);
                    r.put("ids", e.ids());
                    r.put("count", e.size());
                    r.put("tokens", tokens(held.tokenizer, text, e));
                } else {
                    int[] ids = held.tokenizer.encode(text);
                    r.put("ids", ids);
                    r.put("count", ids.length);
                }
                results.add(r);
            }
            return results;
        }, "results");
    }

    Map<String, Object> detokenize(JsonNode body) {
        List<int[]> ids = Requests.idLists(body, "ids");
        return timed("api/detokenize", body, held -> {
            List<String> texts = new ArrayList<>();
            int size = held.tokenizer.vocabularySize();
            for (int[] row : ids) {
                for (int id : row) {
                    if (id < 0 || id >= size) {
                        throw ApiError.badRequest("token id " + id + " is outside this vocabulary (0.." + (size - 1) + ")");
                    }
                }
                texts.add(held.tokenizer.decode(row));
            }
            return texts;
        }, "texts");
    }

    Map<String, Object> count(JsonNode body) {
        List<String> texts = Requests.strings(body, "texts");
        return timed("api/count", body, held -> {
            List<Integer> counts = new ArrayList<>();
            long total = 0;
            for (String t : texts) {
                int n = held.tokenizer.count(t);
                counts.add(n);
                total += n;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("counts", counts);
            m.put("total", total);
            return m;
        }, null);
    }

    interface Work {
        Object apply(Leasing.Held held);
    }

    private Map<String, Object> timed(String endpoint, JsonNode body, Work work, String field) {
        long t0 = System.nanoTime();
        Map<String, String> versions = Map.of();
        boolean ok = false;
        try (Leasing.Held held = open(body, endpoint)) {
            versions = Map.of("tokenize", held.label());
            Object result;
            try {
                result = work.apply(held);
            } catch (ApiError e) {
                throw e;
            } catch (IllegalArgumentException | io.tokenlab.api.TechniqueException e) {
                // parameters passed their checks, so what the technique refuses here is the input
                throw ApiError.badRequest(held.label() + " refused the input: " + e.getMessage());
            }
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("technique", held.technique);
            out.put("version", held.version);
            if (field == null) {
                out.putAll(cast(result));
            } else {
                out.put(field, result);
            }
            ok = true;
            return out;
        } finally {
            f.metrics().recordRun(endpoint, versions, ok, (System.nanoTime() - t0) / 1e9);
        }
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> cast(Object o) {
        return (Map<String, Object>) o;
    }

    /**
     * Ids with offsets under the same special-token rule as {@link Tokenizer#encode(String)}: the plain
     * encode decides whether special-token text is allowed (it fails naming it when not).
     */
    static Encoding withOffsets(Tokenizer t, String text) {
        try {
            return t.encodeWithOffsets(text, Set.of());
        } catch (RuntimeException specialInText) {
            t.encode(text); // throws the technique's own message when the special token is not allowed
            return t.encodeWithOffsets(text, t.specialTokens());
        }
    }

    /** One entry per token: its id, the text it covers and that span, and whether it is special. */
    static List<Map<String, Object>> tokens(Tokenizer t, String text, Encoding e) {
        List<Map<String, Object>> out = new ArrayList<>(e.size());
        Set<String> special = t.specialTokens();
        for (int i = 0; i < e.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            String piece = text.substring(e.starts()[i], e.ends()[i]);
            m.put("id", e.ids()[i]);
            m.put("text", piece);
            m.put("start", e.starts()[i]);
            m.put("stop", e.ends()[i]);
            m.put("special", special.contains(piece));
            out.add(m);
        }
        return out;
    }
}
