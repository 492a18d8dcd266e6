package io.tokenlab.runtime.http;

import io.tokenlab.api.DataCatalog;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.registry.Lease;

import java.util.List;
import java.util.Optional;
import java.util.logging.Logger;

/**
 * What a technique opened for an API call sees; other techniques it asks for are leased for the call,
 * exactly as a pipeline stage's are.
 */
final class ApiRunContext implements RunContext {
    private static final Logger LOG = Logger.getLogger(ApiRunContext.class.getName());
    private final TokenlabRuntime runtime;
    private final String name;
    private final List<Lease> leases;

    ApiRunContext(TokenlabRuntime runtime, String name, List<Lease> leases) {
        this.runtime = runtime;
        this.name = name;
        this.leases = leases;
    }

    @Override
    public Compute compute() {
        Compute c = runtime.computeOrNull();
        if (c == null) {
            throw new IllegalStateException("no Compute backend is installed in this runtime");
        }
        return c;
    }

    @Override
    public DataCatalog data() {
        DataCatalog d = runtime.dataOrNull();
        if (d == null) {
            throw new IllegalStateException("no data catalog is installed in this runtime");
        }
        return d;
    }

    @Override
    public Progress progress() {
        return Progress.NONE;
    }

    @Override
    public void note(String message) {
        LOG.fine(name + ": " + message);
    }

    @Override
    public String pipeline() {
        return name;
    }

    @Override
    public String stage() {
        return "api";
    }

    @Override
    public <T> Optional<T> technique(Class<T> type, String technique) {
        try {
            Optional<Lease> l = runtime.registry().acquire(technique, null, Leasing.WAIT_MILLIS, runtime.bundles()::busy);
            if (l.isEmpty()) {
                return Optional.empty();
            }
            leases.add(l.get());
            Object s = l.get().service();
            return type.isInstance(s) ? Optional.of(type.cast(s)) : Optional.empty();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }
}
