package io.tokenlab.runtime.http;

import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.runtime.TokenlabRuntime;
import io.tokenlab.runtime.registry.Lease;

import java.util.List;
import java.util.logging.Logger;

/**
 * What a technique opened for an API call sees: the pipeline runner's own stage context, so other
 * techniques it asks for are leased for the call exactly as a pipeline stage's are. An API call has no
 * terminal, so there is no progress and notes go to the log.
 */
final class ApiRunContext {
    private static final Logger LOG = Logger.getLogger(ApiRunContext.class.getName());

    private ApiRunContext() {
    }

    static RunContext of(TokenlabRuntime runtime, String name, List<Lease> leases) {
        return runtime.runner().contextFor(name, "api", Progress.NONE, leases, message -> LOG.fine(name + ": " + message));
    }
}
