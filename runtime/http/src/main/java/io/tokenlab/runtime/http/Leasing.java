package io.tokenlab.runtime.http;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Kind;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.pipeline.CheckedPipeline;
import io.tokenlab.runtime.pipeline.Located;
import io.tokenlab.runtime.pipeline.PipelineDefinition;
import io.tokenlab.runtime.pipeline.PipelineException;
import io.tokenlab.runtime.pipeline.PipelineValidator;
import io.tokenlab.runtime.pipeline.Problem;
import io.tokenlab.runtime.pipeline.StageDefinition;
import io.tokenlab.runtime.pipeline.Suggestions;
import io.tokenlab.runtime.registry.Lease;
import io.tokenlab.runtime.registry.TechniqueInfo;
import io.tokenlab.runtime.registry.TechniqueState;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.LongSupplier;
import java.util.stream.Collectors;

/**
 * Tokenizer calls from the API: the technique and its parameters are checked exactly as a one-stage
 * pipeline would be (metatype types, ranges, options), then the newest version is leased for the call,
 * so a swap waits for the call and the call never meets a half-removed service.
 */
final class Leasing {
    /** As long as a pipeline run waits for a technique that is being redeployed. */
    static final long WAIT_MILLIS = 30_000;
    /** How long a technique missing outside a swap is looked for again before the call says so. */
    static final long SETTLE_MILLIS = 500;

    private final TokenlabRuntime runtime;
    private final LongSupplier generation;
    /** Checked parameters by technique and request params, valid while no technique service changed. */
    private final Map<String, Checked> checked = new ConcurrentHashMap<>();

    private record Checked(long generation, Parameters parameters) {
    }

    /**
     * @param generation changes whenever a technique service comes or goes: checks made before are redone
     */
    Leasing(TokenlabRuntime runtime, LongSupplier generation) {
        this.runtime = runtime;
        this.generation = generation;
    }

    /** An opened tokenizer with the leases that keep it valid; close it when the call is done. */
    static final class Held implements AutoCloseable {
        final Tokenizer tokenizer;
        final String technique;
        final String version;
        private final List<Lease> leases;

        Held(Tokenizer tokenizer, String technique, String version, List<Lease> leases) {
            this.tokenizer = tokenizer;
            this.technique = technique;
            this.version = version;
            this.leases = leases;
        }

        String label() {
            return technique + "@" + version;
        }

        @Override
        public void close() {
            for (Lease l : leases) {
                l.close();
            }
        }
    }

    /**
     * The checked parameters of a tokenizer technique, or the 400/404/503 that says what is wrong. While
     * bundles/ is being deployed the technique may be between its old and new service for a moment;
     * the check then waits for it, as pipeline runs wait for their leases.
     */
    Parameters check(String technique, Map<String, String> params) {
        String key = technique + "\u0000" + params;
        long gen = generation.getAsLong();
        Checked c = checked.get(key);
        if (c != null && c.generation() == gen) {
            return c.parameters(); // the metatype check reads every technique's metatype: not per request
        }
        Parameters p = checkWaiting(technique, params);
        if (checked.size() > 10_000) {
            checked.clear(); // bounded: request params are client-chosen
        }
        checked.put(key, new Checked(gen, p));
        return p;
    }

    private Parameters checkWaiting(String technique, Map<String, String> params) {
        long now = System.nanoTime();
        long deadline = now + WAIT_MILLIS * 1_000_000L;
        // the bundle folder is done with a swap a moment before SCR has registered the new component
        long settle = now + SETTLE_MILLIS * 1_000_000L;
        while (true) {
            try {
                return checkNow(technique, params);
            } catch (ApiError e) {
                boolean missing = e.status() == 404 || e.status() == 503;
                long t = System.nanoTime();
                boolean swapping = runtime.bundles().busy() || t < settle;
                if (!missing || !swapping || t > deadline) {
                    throw e;
                }
            } catch (IllegalArgumentException | IllegalStateException e) {
                // a bundle being swapped can lose its metatype or context under the check: look again
                long t = System.nanoTime();
                if (!(runtime.bundles().busy() || t < settle) || t > deadline) {
                    throw e;
                }
            }
            try {
                runtime.registry().awaitChange(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw ApiError.unavailable("interrupted while waiting for " + technique);
            }
        }
    }

    private Parameters checkNow(String technique, Map<String, String> params) {
        Kind kind;
        try {
            kind = Techniques.kindOf(technique);
        } catch (IllegalArgumentException e) {
            throw ApiError.badRequest(e.getMessage());
        }
        if (kind != Kind.TOKENIZER) {
            throw ApiError.badRequest("'" + technique + "' is a " + kind.kindName() + " technique; this endpoint takes "
                    + "tokenizer techniques: " + String.join(", ", tokenizerNames()));
        }
        List<TechniqueInfo> known = runtime.registry().list().stream()
                .filter(i -> i.technique().equals(technique)).collect(Collectors.toList());
        if (known.isEmpty()) {
            List<String> close = Suggestions.closestAll(technique, tokenizerNames(), 3);
            throw ApiError.notFound("unknown technique '" + technique + "'"
                    + (close.isEmpty() ? "" : "; did you mean " + String.join(" or ", close) + "?"))
                    .with("closest", close).with("techniques", tokenizerNames());
        }
        if (known.stream().noneMatch(i -> i.state() == TechniqueState.ACTIVE || i.state() == TechniqueState.FAILED)
                && !runtime.bundles().busy()) {
            TechniqueInfo i = known.get(0);
            throw ApiError.unavailable("technique '" + technique + "' is unavailable (" + i.state().label()
                    + (i.detail().isEmpty() ? "" : ": " + i.detail()) + ")");
        }
        Map<String, Located<Object>> located = new LinkedHashMap<>();
        params.forEach((k, v) -> located.put(k, new Located<>(v, "params." + k, 0, 0)));
        StageDefinition stage = new StageDefinition(new Located<>("api", "request", 0, 0),
                new Located<>(technique, "technique", 0, 0), null, located, null);
        try {
            CheckedPipeline p = new PipelineValidator(runtime.registry())
                    .check(new PipelineDefinition("api", "", "request", List.of(stage)), Map.of());
            return p.first().parameters();
        } catch (PipelineException e) {
            throw Problems.error(e);
        }
    }

    /** Leases the newest version and opens it with checked parameters. */
    Held open(String technique, Parameters params, String endpoint) {
        List<Lease> leases = new CopyOnWriteArrayList<>();
        Optional<Lease> lease;
        try {
            lease = runtime.registry().acquire(technique, null, WAIT_MILLIS, runtime.bundles()::busy);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw ApiError.unavailable("interrupted while waiting for " + technique);
        }
        if (lease.isEmpty()) {
            throw ApiError.unavailable("technique '" + technique + "' is unavailable right now; see GET /api/v1/techniques");
        }
        Lease l = lease.get();
        leases.add(l);
        try {
            Tokenizer t = ((TokenizerTechnique) l.service()).open(params, ApiRunContext.of(runtime, endpoint, leases));
            runtime.registry().recordRunSuccess(l.entry());
            return new Held(t, technique, l.version(), leases);
        } catch (RuntimeException | LinkageError e) {
            for (Lease x : leases) {
                x.close();
            }
            if (e instanceof IllegalArgumentException || e instanceof InvalidParameterException) {
                throw ApiError.badRequest(technique + " " + l.version() + " refused its parameters: " + e.getMessage());
            }
            runtime.registry().recordRunFailure(l.entry(), e);
            throw new ApiError(500, technique + " " + l.version() + " (" + l.bundle() + ") failed to open: " + e);
        }
    }

    List<String> tokenizerNames() {
        return runtime.registry().knownNames().stream().filter(n -> n.startsWith("tokenizer/")).sorted()
                .collect(Collectors.toList());
    }

    static String describe(Problem p) {
        return p.toString();
    }
}
