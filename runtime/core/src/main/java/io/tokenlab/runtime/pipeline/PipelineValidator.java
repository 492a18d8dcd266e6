package io.tokenlab.runtime.pipeline;

import io.tokenlab.api.Kind;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.Techniques;
import io.tokenlab.runtime.registry.ParameterSpec;
import io.tokenlab.runtime.registry.TechniqueInfo;
import io.tokenlab.runtime.registry.TechniqueRegistry;
import io.tokenlab.runtime.registry.TechniqueState;

import org.osgi.framework.VersionRange;

import java.math.BigDecimal;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * Checks a parsed pipeline against the registry and the techniques' metatypes, collecting every
 * problem with its place and what is accepted, before anything runs.
 */
public final class PipelineValidator {
    private static final Set<String> PATH_SUFFIXES = Set.of(".json", ".tiktoken", ".bpe", ".txt", ".safetensors",
            ".npy", ".png", ".jpg", ".jpeg", ".yaml", ".yml", ".bin", ".model", ".vec", ".csv", ".tsv");

    private final TechniqueRegistry registry;

    public PipelineValidator(TechniqueRegistry registry) {
        this.registry = registry;
    }

    /**
     * @param overrides {@code stage.param -> value} from {@code --set}, applied over the file's params
     */
    public CheckedPipeline check(PipelineDefinition def, Map<String, String> overrides) throws PipelineException {
        List<Problem> problems = new ArrayList<>();
        Map<String, Map<String, Located<Object>>> params = new HashMap<>();
        Map<String, StageDefinition> byId = new LinkedHashMap<>();
        for (StageDefinition s : def.stages()) {
            if (byId.containsKey(s.id().value())) {
                problems.add(s.id().problem("duplicate stage id '" + s.id().value() + "'; stage ids must be unique"));
            }
            byId.put(s.id().value(), s);
            params.put(s.id().value(), new LinkedHashMap<>(s.params()));
        }
        for (Map.Entry<String, String> o : overrides.entrySet()) {
            String key = o.getKey();
            int dot = key.indexOf('.');
            String origin = "--set " + key + "=" + o.getValue();
            if (dot <= 0 || dot == key.length() - 1) {
                problems.add(new Problem(origin, 0, 0, "expected stage.param=value"));
                continue;
            }
            String stage = key.substring(0, dot);
            if (!byId.containsKey(stage)) {
                problems.add(new Problem(origin, 0, 0, "no stage '" + stage + "' in " + def.file() + "; stages: "
                        + String.join(", ", byId.keySet())));
                continue;
            }
            params.get(stage).put(key.substring(dot + 1), new Located<>(o.getValue(), origin, 0, 0));
        }

        List<CheckedStage> checked = new ArrayList<>();
        Map<String, String> outputs = new HashMap<>();
        String previousId = null;
        for (StageDefinition s : def.stages()) {
            CheckedStage c = checkStage(def, s, params.get(s.id().value()), previousId, outputs, problems);
            if (c != null) {
                checked.add(c);
                outputs.put(c.id(), c.outputPort());
            }
            previousId = s.id().value();
        }
        if (!problems.isEmpty()) {
            throw new PipelineException(problems);
        }
        return new CheckedPipeline(def, List.copyOf(checked));
    }

    private CheckedStage checkStage(PipelineDefinition def, StageDefinition s, Map<String, Located<Object>> given,
                                    String previousId, Map<String, String> outputs, List<Problem> problems) {
        int before = problems.size();
        String technique = s.technique().value();
        try {
            Techniques.kindOf(technique);
        } catch (IllegalArgumentException e) {
            if (!technique.contains("/")) {
                problems.add(s.technique().problem(e.getMessage()));
                return null;
            }
        }
        VersionRange range = null;
        if (s.version() != null) {
            try {
                range = VersionRange.valueOf(s.version().value());
            } catch (IllegalArgumentException e) {
                problems.add(s.version().problem("'" + s.version().value()
                        + "' is not an OSGi version range; accepted: e.g. \"[1.0,2.0)\" or \"1.2\" (at least 1.2)"));
                return null;
            }
        }
        List<TechniqueRegistry.Entry> all = registry.candidates(technique, null);
        if (all.isEmpty()) {
            TechniqueInfo known = registry.list().stream().filter(i -> i.technique().equals(technique)).findFirst()
                    .orElse(null);
            if (known != null) {
                problems.add(s.technique().problem("technique '" + technique + "' is unavailable ("
                        + known.state().label() + ": " + known.detail() + ")"));
            } else {
                List<String> close = Suggestions.closestAll(technique, registry.knownNames(), 3);
                problems.add(s.technique().problem("unknown technique '" + technique + "'"
                        + (close.isEmpty() ? "" : "; did you mean " + close.stream().map(c -> "'" + c + "'")
                        .collect(Collectors.joining(" or ")) + "?")
                        + " (installed: " + String.join(", ", registry.knownNames()) + ")"));
            }
            return null;
        }
        List<TechniqueRegistry.Entry> inRange = registry.candidates(technique, range);
        if (inRange.isEmpty()) {
            problems.add(s.version().problem("no version of '" + technique + "' in " + range + "; installed: "
                    + all.stream().map(e -> e.version().toString()).collect(Collectors.joining(", "))));
            return null;
        }
        TechniqueInfo info = registry.info(inRange.get(0));
        Map<String, Object> typed = checkParameters(s, info, given, problems);

        String inputFrom = previousId;
        if (s.input() != null) {
            String ref = s.input().value();
            String stageRef = ref.contains(".") ? ref.substring(0, ref.indexOf('.')) : ref;
            if (!outputs.containsKey(stageRef)) {
                problems.add(s.input().problem("input '" + ref + "' does not name an earlier stage; earlier stages: "
                        + (outputs.isEmpty() ? "none" : String.join(", ", outputs.keySet()))));
            } else {
                String port = ref.contains(".") ? ref.substring(ref.indexOf('.') + 1) : null;
                if (port != null && !port.equals("output") && !port.equals(outputs.get(stageRef))) {
                    problems.add(s.input().problem("stage '" + stageRef + "' has no port '" + port + "'; its port is '"
                            + outputs.get(stageRef) + "' (or 'output')"));
                }
                inputFrom = stageRef;
            }
        }
        if (inputFrom != null && outputs.containsKey(inputFrom) && !outputs.get(inputFrom).equals(info.inputPort())) {
            Located<String> where = s.input() != null ? s.input() : s.technique();
            problems.add(where.problem("port type mismatch: '" + technique + "' takes " + info.inputPort()
                    + " but stage '" + inputFrom + "' gives " + outputs.get(inputFrom)));
        }
        if (problems.size() > before) {
            return null;
        }
        return new CheckedStage(s.id().value(), technique, range, Parameters.of(typed), inputFrom, info.inputPort(),
                info.outputPort());
    }

    private Map<String, Object> checkParameters(StageDefinition s, TechniqueInfo info, Map<String, Located<Object>> given,
                                                List<Problem> problems) {
        Map<String, ParameterSpec> specs = new LinkedHashMap<>();
        for (ParameterSpec p : info.parameters()) {
            specs.put(p.id(), p);
        }
        Map<String, ParameterSpec> modelSpecs = modelSettings(specs.get("model"), given.get("model"));
        Map<String, Object> typed = new LinkedHashMap<>();
        for (Map.Entry<String, Located<Object>> e : given.entrySet()) {
            ParameterSpec spec = specs.getOrDefault(e.getKey(), modelSpecs.get(e.getKey()));
            Located<Object> v = e.getValue();
            if (spec == null) {
                Set<String> names = new java.util.LinkedHashSet<>(specs.keySet());
                names.addAll(modelSpecs.keySet());
                String accepted = names.isEmpty() ? "it takes no parameters" : "accepted: " + String.join(", ", names);
                problems.add(v.problem("unknown parameter '" + e.getKey() + "' for " + info.technique()
                        + Suggestions.closest(e.getKey(), names).map(c -> "; did you mean '" + c + "'?").orElse("")
                        + " (" + accepted + ")"));
                continue;
            }
            Object value = convert(spec, v, problems);
            if (value != null) {
                typed.put(spec.id(), value);
            }
        }
        for (ParameterSpec spec : specs.values()) {
            if (typed.containsKey(spec.id()) || given.containsKey(spec.id())) {
                continue;
            }
            if (!spec.defaults().isEmpty()) {
                Object dflt = convert(spec, new Located<>(spec.cardinality() == 0 ? spec.defaults().get(0) : spec.defaults(),
                        "", 0, 0), new ArrayList<>());
                if (dflt != null) {
                    typed.put(spec.id(), dflt);
                }
            } else if (spec.required()) {
                problems.add(s.technique().problem("missing parameter '" + spec.id() + "' for " + info.technique()
                        + " (" + spec.accepted() + (spec.description().isEmpty() ? "" : ": " + spec.description()) + ")"));
            }
        }
        return typed;
    }

    /**
     * A stage that takes a {@code model} passes the settings of the model it names on to that model's
     * provider (say {@code transformer.steps} for {@code model: transformer}), checked against the
     * provider's own metatype, so no technique has to re-declare them. Only settings the stage does not
     * declare itself, and no defaults: the provider applies its own. (The settings of the model a stage
     * names by default are among its parameters already: the registry lists them with it.)
     */
    private Map<String, ParameterSpec> modelSettings(ParameterSpec modelSpec, Located<Object> givenModel) {
        if (modelSpec == null) {
            return Map.of();
        }
        Object model = givenModel != null ? givenModel.value()
                : modelSpec.defaults().isEmpty() ? null : modelSpec.defaults().get(0);
        if (model == null) {
            return Map.of();
        }
        Map<String, ParameterSpec> out = new LinkedHashMap<>();
        registry.modelProvider(String.valueOf(model).trim())
                .ifPresent(e -> registry.info(e).parameters().forEach(p -> out.put(p.id(), p)));
        return out;
    }

    private Object convert(ParameterSpec spec, Located<Object> v, List<Problem> problems) {
        Object raw = v.value();
        if (raw instanceof List) {
            if (spec.cardinality() == 0) {
                problems.add(v.problem("parameter '" + spec.id() + "' takes one value, not a list (" + spec.accepted() + ")"));
                return null;
            }
            List<Object> out = new ArrayList<>();
            for (Object item : (List<?>) raw) {
                Object c = convertOne(spec, new Located<>(item, v.file(), v.line(), v.column()), problems);
                if (c == null) {
                    return null;
                }
                out.add(c);
            }
            return out;
        }
        if (raw == null) {
            problems.add(v.problem("parameter '" + spec.id() + "' has no value (" + spec.accepted() + ")"));
            return null;
        }
        Object one = convertOne(spec, v, problems);
        return one == null ? null : spec.cardinality() == 0 ? one : List.of(one);
    }

    private Object convertOne(ParameterSpec spec, Located<Object> v, List<Problem> problems) {
        String text = String.valueOf(v.value()).trim();
        Object value;
        try {
            switch (spec.type()) {
                case "Integer":
                case "Long":
                case "Short":
                case "Byte":
                    value = Long.parseLong(text);
                    break;
                case "Double":
                case "Float":
                    value = Double.parseDouble(text);
                    if (((Double) value).isNaN()) {
                        throw new NumberFormatException();
                    }
                    break;
                case "Boolean":
                    if (!text.equalsIgnoreCase("true") && !text.equalsIgnoreCase("false")) {
                        throw new NumberFormatException();
                    }
                    value = Boolean.parseBoolean(text);
                    break;
                default:
                    value = String.valueOf(v.value());
            }
        } catch (NumberFormatException e) {
            problems.add(v.problem("parameter '" + spec.id() + "': '" + text + "' is not " + spec.accepted()));
            return null;
        }
        if (!spec.options().isEmpty() && !spec.options().contains(text)) {
            problems.add(v.problem("parameter '" + spec.id() + "': '" + text + "' is not " + spec.accepted()
                    + Suggestions.closest(text, spec.options()).map(c -> "; did you mean '" + c + "'?").orElse("")));
            return null;
        }
        if (value instanceof Number && !inRange(spec, text)) {
            problems.add(v.problem("parameter '" + spec.id() + "': " + text + " is out of range; accepted: "
                    + spec.accepted()));
            return null;
        }
        boolean isFile = spec.file() && value instanceof String && looksLikePath(text);
        if (isFile && !Files.exists(resolve(v.file(), text))) {
            problems.add(v.problem("parameter '" + spec.id() + "': file not found: " + text
                    + (Path.of(text).isAbsolute() ? "" : " (relative to " + Path.of("").toAbsolutePath() + ")")));
            return null;
        }
        if (isFile) {
            value = resolve(v.file(), text).toAbsolutePath().normalize().toString();
        }
        return value;
    }

    private static boolean inRange(ParameterSpec spec, String text) {
        BigDecimal x = new BigDecimal(text);
        try {
            if (spec.min() != null && x.compareTo(new BigDecimal(spec.min().trim())) < 0) {
                return false;
            }
            if (spec.max() != null && x.compareTo(new BigDecimal(spec.max().trim())) > 0) {
                return false;
            }
        } catch (NumberFormatException e) {
            return true; // a range the metatype wrote in a form we cannot read is not enforced
        }
        return true;
    }

    /**
     * The value of a parameter that its technique declares as a file parameter is taken as a file
     * when it has a path separator or a data-file suffix; names such as {@code cl100k_base} are not.
     * Parameters not so declared are never files. Documented in the README.
     */
    static boolean looksLikePath(String text) {
        if (text.contains("://")) {
            return false;
        }
        String lower = text.toLowerCase();
        return text.contains("/") || text.contains("\\") || PATH_SUFFIXES.stream().anyMatch(lower::endsWith);
    }

    private static Path resolve(String pipelineFile, String text) {
        Path p = Path.of(text);
        if (p.isAbsolute() || Files.exists(p)) {
            return p;
        }
        Path parent = Path.of(pipelineFile).toAbsolutePath().getParent();
        return parent == null ? p : parent.resolve(p);
    }

    static List<String> kinds() {
        return Arrays.stream(Kind.values()).map(Kind::kindName).collect(Collectors.toList());
    }

    /** Whether a technique name can be run at all right now. */
    public boolean available(String technique) {
        return registry.list().stream().anyMatch(i -> i.technique().equals(technique) && i.state() == TechniqueState.ACTIVE);
    }
}
