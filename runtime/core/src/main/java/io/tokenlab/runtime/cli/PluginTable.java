package io.tokenlab.runtime.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tokenlab.runtime.registry.ParameterSpec;
import io.tokenlab.runtime.registry.TechniqueInfo;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/** The technique list as people read it and as scripts read it (JSON). */
public final class PluginTable {
    private PluginTable() {
    }

    public static String text(List<TechniqueInfo> techniques, boolean details) {
        return text(techniques, Map.of(), details);
    }

    /**
     * @param problems jars of bundles/ that provide no technique row because they do not work, with
     *                 the reason (see {@code BundleFolder.problems()}); listed after the techniques
     */
    public static String text(List<TechniqueInfo> techniques, Map<Path, String> problems, boolean details) {
        if (techniques.isEmpty()) {
            return "no techniques installed (bundles/ is empty?)\n" + problems(problems);
        }
        int w = Math.max(9, techniques.stream().mapToInt(t -> t.technique().length()).max().orElse(9));
        StringBuilder sb = new StringBuilder();
        sb.append(String.format("%-" + w + "s  %-10s  %-10s  %s%n", "TECHNIQUE", "VERSION", "STATE", "BUNDLE"));
        for (TechniqueInfo t : techniques) {
            sb.append(String.format("%-" + w + "s  %-10s  %-10s  %s%n", t.technique(), t.version(), t.state().label(),
                    t.bundle()));
            if (!t.detail().isEmpty()) {
                sb.append("    why: ").append(t.detail().replace("\n", "\n         ")).append('\n');
            }
            if (!details) {
                continue;
            }
            if (!t.description().isEmpty()) {
                sb.append("    ").append(t.description()).append('\n');
            }
            if (!t.inputPort().isEmpty()) {
                sb.append("    ports: ").append(t.inputPort()).append(" -> ").append(t.outputPort()).append('\n');
            }
            for (ParameterSpec p : t.parameters()) {
                sb.append("    --set <stage>.").append(p.id()).append("  (").append(p.accepted());
                if (!p.defaults().isEmpty()) {
                    sb.append(", default ").append(String.join(",", p.defaults()));
                } else if (p.required()) {
                    sb.append(", required");
                }
                sb.append(')');
                if (!p.description().isEmpty()) {
                    sb.append("  ").append(p.description());
                }
                sb.append('\n');
            }
        }
        return sb.append(problems(problems)).toString();
    }

    private static String problems(Map<Path, String> problems) {
        if (problems.isEmpty()) {
            return "";
        }
        StringBuilder sb = new StringBuilder("\nPROBLEMS (jars in bundles/ that provide nothing)\n");
        problems.forEach((jar, why) -> sb.append("bundles/").append(jar.getFileName()).append(' ')
                .append(why.replace("\n", "\n    ")).append('\n'));
        return sb.toString();
    }

    public static String json(List<TechniqueInfo> techniques) {
        StringWriter out = new StringWriter();
        try (JsonGenerator g = new JsonFactory().createGenerator(out).useDefaultPrettyPrinter()) {
            g.writeStartArray();
            for (TechniqueInfo t : techniques) {
                g.writeStartObject();
                g.writeStringField("technique", t.technique());
                g.writeStringField("version", t.version());
                g.writeStringField("state", t.state().label());
                g.writeStringField("detail", t.detail());
                g.writeStringField("bundle", t.bundle());
                g.writeStringField("description", t.description());
                g.writeStringField("input", t.inputPort());
                g.writeStringField("output", t.outputPort());
                g.writeArrayFieldStart("parameters");
                for (ParameterSpec p : t.parameters()) {
                    g.writeStartObject();
                    g.writeStringField("id", p.id());
                    g.writeStringField("type", p.type());
                    g.writeNumberField("cardinality", p.cardinality());
                    g.writeBooleanField("required", p.required());
                    g.writeArrayFieldStart("default");
                    for (String d : p.defaults()) {
                        g.writeString(d);
                    }
                    g.writeEndArray();
                    g.writeArrayFieldStart("options");
                    for (String o : p.options()) {
                        g.writeString(o);
                    }
                    g.writeEndArray();
                    if (p.min() != null) {
                        g.writeStringField("min", p.min());
                    }
                    if (p.max() != null) {
                        g.writeStringField("max", p.max());
                    }
                    g.writeStringField("description", p.description());
                    g.writeEndObject();
                }
                g.writeEndArray();
                g.writeEndObject();
            }
            g.writeEndArray();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        return out + "\n";
    }
}
