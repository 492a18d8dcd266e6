package io.tokenlab.runtime.http;

import com.fasterxml.jackson.databind.JsonNode;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.tokenizer.Encoding;
import jakarta.servlet.http.HttpServletRequest;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Hugging Face text-embeddings-inference's {@code POST /tokenize} and {@code POST /decode}, for the
 * tokenizer the operator configured ({@code tei.technique}, {@code tei.params}), so TEI clients work
 * unchanged. As in TEI, {@code start}/{@code stop} are UTF-8 byte offsets into the input.
 */
final class TeiServlet extends JsonServlet {
    private static final long serialVersionUID = 1L;

    TeiServlet(Frontend f) {
        super(f);
    }

    @Override
    String endpoint(HttpServletRequest req) {
        return req.getServletPath().equals("/decode") ? "tei/decode" : "tei/tokenize";
    }

    @Override
    Handler route(HttpServletRequest req) {
        frontend.guard().read(req);
        if (!req.getMethod().equals("POST")) {
            throw methodNotAllowed(req, "POST");
        }
        boolean decode = req.getServletPath().equals("/decode");
        return (q, r) -> {
            JsonNode body = Json.object(q, frontend.settings().maxBodyBytes());
            Json.write(r, 200, decode ? decode(body) : tokenize(body));
        };
    }

    private Leasing.Held open(String endpoint) {
        String technique = frontend.settings().teiTechnique();
        Parameters p = frontend.leasing().check(technique, frontend.settings().teiParams());
        return frontend.leasing().open(technique, p, endpoint);
    }

    private Object tokenize(JsonNode body) {
        List<String> inputs = Requests.strings(body, "inputs");
        Requests.bool(body, "add_special_tokens", true); // accepted as TEI does; these vocabularies add none
        long t0 = System.nanoTime();
        boolean ok = false;
        Map<String, String> versions = Map.of();
        try (Leasing.Held held = open("tei/tokenize")) {
            versions = Map.of("tokenize", held.label());
            List<Object> out = new ArrayList<>();
            for (String text : inputs) {
                Encoding e = TokenizerCalls.withOffsets(held.tokenizer, text);
                List<Map<String, Object>> tokens = TokenizerCalls.tokens(held.tokenizer, text, e);
                for (Map<String, Object> t : tokens) {
                    int start = (Integer) t.get("start");
                    int stop = (Integer) t.get("stop");
                    int byteStart = utf8Length(text, 0, start);
                    t.put("start", byteStart);
                    t.put("stop", byteStart + utf8Length(text, start, stop));
                }
                out.add(tokens);
            }
            ok = true;
            return out;
        } catch (IllegalArgumentException | io.tokenlab.api.TechniqueException e) {
            throw ApiError.badRequest(frontend.settings().teiTechnique() + " refused the input: " + e.getMessage());
        } finally {
            frontend.metrics().recordRun("tei/tokenize", versions, ok, (System.nanoTime() - t0) / 1e9);
        }
    }

    private Object decode(JsonNode body) {
        List<int[]> ids = Requests.idLists(body, "ids");
        boolean single = body.get("ids").isEmpty() || body.get("ids").get(0).isNumber();
        long t0 = System.nanoTime();
        boolean ok = false;
        Map<String, String> versions = Map.of();
        try (Leasing.Held held = open("tei/decode")) {
            versions = Map.of("tokenize", held.label());
            int size = held.tokenizer.vocabularySize();
            List<String> texts = new ArrayList<>();
            for (int[] row : ids) {
                for (int id : row) {
                    if (id < 0 || id >= size) {
                        throw ApiError.badRequest("token id " + id + " is outside this vocabulary (0.." + (size - 1) + ")");
                    }
                }
                texts.add(held.tokenizer.decode(row));
            }
            ok = true;
            return single ? List.of(texts.get(0)) : texts;
        } finally {
            frontend.metrics().recordRun("tei/decode", versions, ok, (System.nanoTime() - t0) / 1e9);
        }
    }

    private static int utf8Length(String s, int from, int to) {
        return s.substring(from, to).getBytes(StandardCharsets.UTF_8).length;
    }

    static Map<String, Object> info(Frontend f) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("technique", f.settings().teiTechnique());
        m.put("params", f.settings().teiParams());
        return m;
    }
}
