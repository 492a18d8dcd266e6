package io.tokenlab.api.compute;

/**
 * A backend cannot perform a call: its platform is absent, a kernel failed to build, the device ran
 * out of memory or a buffer exceeds what the device can allocate. The dispatching {@link Compute}
 * catches it, warns once and runs the call on the next backend; callers of the dispatcher never see it.
 *
 * <p>{@link #isPermanent()} tells whether the backend is unusable from now on (no platform, build
 * failure) or only this call was too large for it.
 */
public class ComputeBackendException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final String backend;
    private final boolean permanent;

    public ComputeBackendException(String backend, boolean permanent, String message, Throwable cause) {
        super(backend + ": " + message, cause);
        this.backend = backend;
        this.permanent = permanent;
    }

    public ComputeBackendException(String backend, boolean permanent, String message) {
        this(backend, permanent, message, null);
    }

    /** The name of the backend that failed. */
    public String backend() {
        return backend;
    }

    /** True when the backend cannot serve any further call, false when only this call failed. */
    public boolean isPermanent() {
        return permanent;
    }
}
