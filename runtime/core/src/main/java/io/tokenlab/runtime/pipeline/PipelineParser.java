package io.tokenlab.runtime.pipeline;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.error.Mark;
import org.yaml.snakeyaml.error.MarkedYAMLException;
import org.yaml.snakeyaml.error.YAMLException;
import org.yaml.snakeyaml.nodes.MappingNode;
import org.yaml.snakeyaml.nodes.Node;
import org.yaml.snakeyaml.nodes.NodeTuple;
import org.yaml.snakeyaml.nodes.ScalarNode;
import org.yaml.snakeyaml.nodes.SequenceNode;
import org.yaml.snakeyaml.nodes.Tag;

import java.io.IOException;
import java.io.Reader;
import java.io.StringReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Reads a pipeline file into a {@link PipelineDefinition}, keeping the line and column of every value
 * so that later checks can point at it. Only the shape is checked here; techniques and parameters are
 * checked against the registry by {@link PipelineValidator}.
 */
public final class PipelineParser {
    private static final Set<String> TOP_KEYS = Set.of("name", "description", "stages");
    private static final Set<String> STAGE_KEYS = Set.of("id", "technique", "version", "params", "input");

    /**
     * The largest pipeline file read, checked before parsing: SnakeYAML takes time quadratic in the
     * length of a scalar, so a huge file would stall a run (or the live reload of {@code start}) long
     * before its own limit rejected it. Real pipeline files are a few kilobytes.
     */
    public static final long MAX_FILE_BYTES = 1 << 20;

    public PipelineDefinition parse(Path file) throws PipelineException {
        String text;
        try {
            if (Files.isDirectory(file)) {
                throw new PipelineException(List.of(new Problem(file.toString(), 1, 1,
                        "is a directory; give a pipeline file, e.g. pipelines/encode.yaml")));
            }
            long size = Files.size(file);
            if (size > MAX_FILE_BYTES) {
                throw new PipelineException(List.of(new Problem(file.toString(), 1, 1, "the file has " + size
                        + " bytes; a pipeline file may have at most " + MAX_FILE_BYTES + " bytes")));
            }
            text = Files.readString(file, StandardCharsets.UTF_8);
        } catch (java.nio.file.NoSuchFileException e) {
            throw new PipelineException(List.of(new Problem(file.toString(), 1, 1, "no such pipeline file")));
        } catch (java.nio.charset.MalformedInputException e) {
            throw new PipelineException(List.of(new Problem(file.toString(), 1, 1,
                    "not UTF-8 text; a pipeline file is YAML in UTF-8")));
        } catch (IOException e) {
            throw new PipelineException(List.of(new Problem(file.toString(), 1, 1, "cannot read the file: " + e)));
        }
        return parse(file.toString(), new StringReader(text));
    }

    public PipelineDefinition parse(String fileName, Reader reader) throws PipelineException {
        LoaderOptions options = new LoaderOptions();
        options.setAllowDuplicateKeys(false);
        options.setMaxAliasesForCollections(10);
        options.setCodePointLimit((int) MAX_FILE_BYTES);
        Node root;
        try {
            root = new Yaml(options).compose(reader);
        } catch (MarkedYAMLException e) {
            Mark m = e.getProblemMark() != null ? e.getProblemMark() : e.getContextMark();
            String what = e.getProblem() != null ? e.getProblem() : e.getMessage();
            if (e.getContext() != null) {
                what = e.getContext() + ", " + what;
            }
            throw new PipelineException(List.of(new Problem(fileName, m == null ? 1 : m.getLine() + 1,
                    m == null ? 1 : m.getColumn() + 1, "not valid YAML: " + what.replace('\n', ' ').trim())));
        } catch (YAMLException e) {
            throw new PipelineException(List.of(new Problem(fileName, 1, 1, "not valid YAML: " + e.getMessage())));
        }
        List<Problem> problems = new ArrayList<>();
        if (root == null) {
            throw new PipelineException(List.of(new Problem(fileName, 1, 1,
                    "the file is empty; a pipeline needs 'name' and 'stages'")));
        }
        if (!(root instanceof MappingNode)) {
            throw new PipelineException(List.of(at(fileName, root,
                    "a pipeline file is a mapping with keys name, description, stages")));
        }
        Map<String, NodeTuple> top = entries(fileName, (MappingNode) root, TOP_KEYS, "pipeline", problems);
        String name = scalar(fileName, top.get("name"), "name", problems, true);
        String description = scalar(fileName, top.get("description"), "description", problems, false);
        List<StageDefinition> stages = new ArrayList<>();
        NodeTuple stagesTuple = top.get("stages");
        if (stagesTuple == null) {
            problems.add(at(fileName, root, "missing key 'stages': a pipeline needs a list of stages"));
        } else if (!(stagesTuple.getValueNode() instanceof SequenceNode)
                || ((SequenceNode) stagesTuple.getValueNode()).getValue().isEmpty()) {
            problems.add(at(fileName, stagesTuple.getValueNode(),
                    "'stages' must be a non-empty list of stages (- id: ..., technique: ...)"));
        } else {
            for (Node s : ((SequenceNode) stagesTuple.getValueNode()).getValue()) {
                StageDefinition stage = stage(fileName, s, problems);
                if (stage != null) {
                    stages.add(stage);
                }
            }
        }
        if (!problems.isEmpty()) {
            throw new PipelineException(problems);
        }
        return new PipelineDefinition(name, description == null ? "" : description, fileName, List.copyOf(stages));
    }

    private StageDefinition stage(String file, Node node, List<Problem> problems) {
        if (!(node instanceof MappingNode)) {
            problems.add(at(file, node, "a stage is a mapping with keys " + String.join(", ", sorted(STAGE_KEYS))));
            return null;
        }
        int before = problems.size();
        Map<String, NodeTuple> keys = entries(file, (MappingNode) node, STAGE_KEYS, "stage", problems);
        Located<String> id = located(file, keys.get("id"), "id", problems, node);
        Located<String> technique = located(file, keys.get("technique"), "technique", problems, node);
        Located<String> version = keys.containsKey("version") ? located(file, keys.get("version"), "version", problems, node) : null;
        Located<String> input = keys.containsKey("input") ? located(file, keys.get("input"), "input", problems, node) : null;
        Map<String, Located<Object>> params = new LinkedHashMap<>();
        NodeTuple p = keys.get("params");
        if (p != null) {
            Node v = p.getValueNode();
            if (v instanceof ScalarNode && Tag.NULL.equals(v.getTag())) {
                // "params:" with nothing after it: no parameters
            } else if (!(v instanceof MappingNode)) {
                problems.add(at(file, v, "'params' must be a mapping of parameter names to values"));
            } else {
                for (NodeTuple t : ((MappingNode) v).getValue()) {
                    String key = keyText(t);
                    if (params.containsKey(key)) {
                        problems.add(at(file, t.getKeyNode(), "duplicate parameter " + key));
                        continue;
                    }
                    Object value = plainValue(file, t.getValueNode(), key, problems);
                    Node vn = t.getValueNode();
                    params.put(key, new Located<>(value, file, line(vn), column(vn)));
                }
            }
        }
        if (problems.size() > before) {
            return null;
        }
        return new StageDefinition(id, technique, version, params, input);
    }

    /** A parameter value: a scalar (kept as text, typed later by the metatype) or a list of scalars. */
    private Object plainValue(String file, Node node, String key, List<Problem> problems) {
        if (node instanceof ScalarNode) {
            return Tag.NULL.equals(node.getTag()) ? null : ((ScalarNode) node).getValue();
        }
        if (node instanceof SequenceNode) {
            List<String> values = new ArrayList<>();
            for (Node n : ((SequenceNode) node).getValue()) {
                if (n instanceof ScalarNode) {
                    values.add(((ScalarNode) n).getValue());
                } else {
                    problems.add(at(file, n, "parameter '" + key + "': list items must be plain values"));
                }
            }
            return values;
        }
        problems.add(at(file, node, "parameter '" + key + "' must be a value or a list of values, not a mapping"));
        return null;
    }

    private static Map<String, NodeTuple> entries(String file, MappingNode node, Set<String> allowed, String what,
                                                  List<Problem> problems) {
        Map<String, NodeTuple> out = new LinkedHashMap<>();
        for (NodeTuple t : node.getValue()) {
            String key = keyText(t);
            if (out.containsKey(key)) {
                problems.add(at(file, t.getKeyNode(), "duplicate key " + key + " (first given at line "
                        + line(out.get(key).getKeyNode()) + ")"));
                continue;
            }
            if (!allowed.contains(key)) {
                problems.add(at(file, t.getKeyNode(), "unknown " + what + " key '" + key + "'"
                        + Suggestions.closest(key, allowed).map(s -> "; did you mean '" + s + "'?").orElse("")
                        + " (accepted: " + String.join(", ", sorted(allowed)) + ")"));
                continue;
            }
            out.put(key, t);
        }
        return out;
    }

    private static String keyText(NodeTuple t) {
        Node k = t.getKeyNode();
        return k instanceof ScalarNode ? ((ScalarNode) k).getValue() : String.valueOf(k);
    }

    private static String scalar(String file, NodeTuple t, String key, List<Problem> problems, boolean required) {
        if (t == null) {
            if (required) {
                problems.add(new Problem(file, 1, 1, "missing key '" + key + "'"));
            }
            return null;
        }
        Node v = t.getValueNode();
        if (!(v instanceof ScalarNode) || Tag.NULL.equals(v.getTag()) || ((ScalarNode) v).getValue().isBlank()) {
            problems.add(at(file, v, "'" + key + "' must be a non-empty text value"));
            return null;
        }
        return ((ScalarNode) v).getValue();
    }

    private static Located<String> located(String file, NodeTuple t, String key, List<Problem> problems, Node stage) {
        if (t == null) {
            problems.add(at(file, stage, "stage is missing '" + key + "'"));
            return null;
        }
        String v = scalar(file, t, key, problems, true);
        return v == null ? null : new Located<>(v, file, line(t.getValueNode()), column(t.getValueNode()));
    }

    static Problem at(String file, Node node, String message) {
        return new Problem(file, line(node), column(node), message);
    }

    private static int line(Node n) {
        return n == null || n.getStartMark() == null ? 1 : n.getStartMark().getLine() + 1;
    }

    private static int column(Node n) {
        return n == null || n.getStartMark() == null ? 1 : n.getStartMark().getColumn() + 1;
    }

    private static List<String> sorted(Set<String> s) {
        List<String> l = new ArrayList<>(s);
        l.sort(null);
        return l;
    }
}
