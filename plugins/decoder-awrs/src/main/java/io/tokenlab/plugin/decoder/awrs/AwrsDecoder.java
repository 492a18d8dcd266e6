package io.tokenlab.plugin.decoder.awrs;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.decoder.ByteConstraint;
import io.tokenlab.api.decoder.DecoderTechnique;
import io.tokenlab.api.decoder.Generation;
import io.tokenlab.api.decoder.GenerationRequest;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.plugin.decoder.common.DecoderStage;
import io.tokenlab.plugin.decoder.common.ModelProviders;
import io.tokenlab.plugin.decoder.common.Vocabulary;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Constrained generation by adaptive weighted rejection sampling inside sequential Monte Carlo.
 * Constraints are byte automata over the tokens' bytes, compiled from a regular expression or a
 * JSON schema; any {@link ByteConstraint} given in a request works too.
 */
@Component(service = {DecoderTechnique.class, StageTechnique.class}, property = {
        "tokenlab.technique=decoder/awrs",
        "tokenlab.parameters.files=corpus",
        "tokenlab.description=Adaptive weighted rejection sampling (Lipkin et al. 2025) with sequential Monte Carlo: "
                + "exact-in-expectation constrained generation under regex and JSON-schema byte automata, checking "
                + "the constraint only on sampled tokens."})
@Designate(ocd = AwrsDecoder.Config.class)
public final class AwrsDecoder implements DecoderTechnique, StageTechnique {
    static final String DEFAULT_SCHEMA = "{\"type\":\"object\",\"properties\":{"
            + "\"name\":{\"type\":\"string\",\"maxLength\":24},"
            + "\"version\":{\"type\":\"integer\",\"minimum\":0},"
            + "\"tags\":{\"type\":\"array\",\"items\":{\"type\":\"string\",\"maxLength\":16},\"maxItems\":3}},"
            + "\"required\":[\"name\",\"version\",\"tags\"]}";

    @ObjectClassDefinition(name = "decoder/awrs", description = "Constrained sampling: AWRS proposals inside SMC.")
    public @interface Config {
        @AttributeDefinition(description = "Number of SMC particles K.", min = "1", max = "1024")
        int particles() default 8;

        @AttributeDefinition(description = "Resample when the effective sample size falls below this fraction of K.",
                min = "0", max = "1")
        double ess_threshold() default 0.5;

        @AttributeDefinition(description = "Constraint language: json_schema or regex.")
        ConstraintKind constraint() default ConstraintKind.json_schema;

        @AttributeDefinition(description = "JSON schema (subset: type, properties, required, items, min/maxItems, "
                + "min/maxLength, pattern, enum, const, anyOf) as text, or a path to a .json file.")
        String schema() default DEFAULT_SCHEMA;

        @AttributeDefinition(description = "Regular expression the whole output must match (constraint: regex).")
        String regex() default "[A-Z][a-z]+( [a-z]+){2,6}\\.";

        @AttributeDefinition(description = "Refuse tokens after which the shortest completion no longer fits in the "
                + "tokens left, so every output is complete.")
        boolean force_completion() default true;

        // the n-gram provider declares its settings; this decoder trains on another corpus by default
        @AttributeDefinition(description = "n-gram model: data set or path it is trained on the first time.")
        String corpus() default "python-doc";
    }

    private final ModelProviders providers = new ModelProviders();
    private final Map<String, ByteAutomaton> compiled = new ConcurrentHashMap<>();

    @Reference(cardinality = ReferenceCardinality.MULTIPLE, policy = ReferencePolicy.DYNAMIC)
    public void addModelProvider(LanguageModelProvider provider, Map<String, Object> properties) {
        providers.add(provider, properties);
    }

    public void removeModelProvider(LanguageModelProvider provider, Map<String, Object> properties) {
        providers.remove(provider, properties);
    }

    /** Compiles a regular expression to a byte automaton. */
    public static ByteAutomaton regex(String regex) {
        return ByteAutomaton.compile(regex);
    }

    /** Compiles a JSON schema (subset) to a byte automaton accepting the compact JSON documents it allows. */
    public static ByteAutomaton jsonSchema(String schema) {
        return ByteAutomaton.compile(JsonSchemaRegex.toRegex(schema));
    }

    ByteAutomaton constraint(Config c) {
        if (c.constraint() == ConstraintKind.regex) {
            return compiled.computeIfAbsent("regex:" + c.regex(), k -> regex(c.regex()));
        }
        String schema = c.schema().trim();
        if (!schema.startsWith("{")) {
            try {
                schema = Files.readString(Path.of(schema));
            } catch (IOException e) {
                throw new TechniqueException("parameter 'schema': neither a JSON object nor a readable file: " + schema, e);
            }
        }
        String text = schema;
        return compiled.computeIfAbsent("schema:" + text, k -> jsonSchema(text));
    }

    @Override
    public Generation generate(GenerationRequest request, Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        if (request.tokenizer() == null) {
            throw new TechniqueException("AWRS needs the request's tokenizer: constraints read the tokens' bytes");
        }
        GenerationRequest constrained = request.constraint() != null ? request
                : new GenerationRequest(request.model(), request.tokenizer(), request.prompt(), request.maxTokens(),
                request.seed(), constraint(c));
        ConstrainedSmc.Result r = ConstrainedSmc.run(constrained, Vocabulary.of(request.tokenizer()), c.particles(),
                c.ess_threshold(), c.force_completion());
        Map<String, Double> stats = new HashMap<>(r.statistics());
        stats.put("complete", r.complete() ? 1.0 : 0.0);
        return new Generation(r.tokens(), stats);
    }

    @Override
    public PortType input() {
        return PortType.TEXT;
    }

    @Override
    public PortType output() {
        return PortType.TEXT;
    }

    @Override
    public Object apply(Object input, Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        ByteConstraint constraint = constraint(c);
        return DecoderStage.generate(input, parameters, context, providers, (request, params, ctx) -> {
            Generation g = generate(request, params, ctx);
            if (g.statistics().getOrDefault("complete", 0.0) == 0.0) {
                throw new TechniqueException("no particle completed the constraint within " + request.maxTokens()
                        + " tokens; raise max.tokens or particles");
            }
            return g;
        }, constraint);
    }
}
