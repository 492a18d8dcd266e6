package io.tokenlab.runtime.http;

import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.CheckedStage;
import io.tokenlab.runtime.pipeline.PipelineStore;
import io.tokenlab.runtime.registry.ParameterSpec;
import io.tokenlab.runtime.registry.TechniqueInfo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/** What {@code plugins --json} and {@code pipelines} show, as JSON values. */
final class Views {
    private Views() {
    }

    static List<Map<String, Object>> techniques(List<TechniqueInfo> list) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (TechniqueInfo t : list) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("technique", t.technique());
            m.put("version", t.version());
            m.put("state", t.state().label());
            m.put("detail", t.detail());
            m.put("bundle", t.bundle());
            m.put("description", t.description());
            m.put("input", t.inputPort());
            m.put("output", t.outputPort());
            List<Map<String, Object>> params = new ArrayList<>();
            for (ParameterSpec p : t.parameters()) {
                Map<String, Object> pm = new LinkedHashMap<>();
                pm.put("id", p.id());
                pm.put("type", p.type());
                pm.put("cardinality", p.cardinality());
                pm.put("required", p.required());
                pm.put("default", p.defaults());
                pm.put("options", p.options());
                pm.put("min", p.min());
                pm.put("max", p.max());
                pm.put("accepted", p.accepted());
                pm.put("description", p.description());
                params.add(pm);
            }
            m.put("parameters", params);
            out.add(m);
        }
        return out;
    }

    static List<Map<String, Object>> pipelines(TokenlabRuntime runtime) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (PipelineStore.Loaded l : runtime.pipelines().all()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("name", l.name());
            m.put("file", runtime.home().relativize(l.file()).toString());
            CheckedPipeline p = l.active();
            String state = p == null ? "invalid" : l.problems().isEmpty() ? "active" : "active-last-good";
            List<String> unavailable = p == null ? List.of() : unavailable(runtime, p);
            if (!unavailable.isEmpty()) {
                state = "unavailable";
            }
            m.put("state", state);
            m.put("problems", l.problems().isEmpty() ? List.of() : Arrays.asList(l.problems().split("\n")));
            m.put("unavailable", unavailable);
            if (p != null) {
                m.put("description", p.definition().description());
                m.put("input", p.first().inputPort());
                m.put("output", p.last().outputPort());
                List<Map<String, Object>> stages = new ArrayList<>();
                for (CheckedStage s : p.stages()) {
                    Map<String, Object> sm = new LinkedHashMap<>();
                    sm.put("id", s.id());
                    sm.put("technique", s.technique());
                    sm.put("version", s.range() == null ? null : s.range().toString());
                    sm.put("input", s.inputPort());
                    sm.put("output", s.outputPort());
                    stages.add(sm);
                }
                m.put("stages", stages);
            }
            out.add(m);
        }
        return out;
    }

    /** "stage X needs T" for every stage whose technique has no active version in its range now. */
    static List<String> unavailable(TokenlabRuntime runtime, CheckedPipeline p) {
        return p.stages().stream()
                .filter(s -> runtime.registry().candidates(s.technique(), s.range()).isEmpty())
                .map(s -> "stage " + s.id() + " needs " + s.technique() + (s.range() == null ? "" : " " + s.range()))
                .collect(Collectors.toList());
    }
}
