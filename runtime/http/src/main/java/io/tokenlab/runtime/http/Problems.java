package io.tokenlab.runtime.http;

import io.tokenlab.runtime.pipeline.PipelineException;
import io.tokenlab.runtime.pipeline.Problem;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Pipeline check problems as an API error: 503 when a technique is only unavailable, else 400. */
final class Problems {
    private Problems() {
    }

    static ApiError error(PipelineException e) {
        boolean unavailable = !e.problems().isEmpty()
                && e.problems().stream().allMatch(p -> p.message().contains("is unavailable"));
        boolean unknown = e.problems().size() == 1 && e.problems().get(0).message().startsWith("unknown technique");
        int status = unavailable ? 503 : unknown ? 404 : 400;
        return new ApiError(status, e.getMessage()).with("problems", list(e.problems()));
    }

    static List<Map<String, Object>> list(List<Problem> problems) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Problem p : problems) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("file", p.file());
            m.put("line", p.line());
            m.put("column", p.column());
            m.put("message", p.message());
            m.put("text", p.toString());
            out.add(m);
        }
        return out;
    }
}
