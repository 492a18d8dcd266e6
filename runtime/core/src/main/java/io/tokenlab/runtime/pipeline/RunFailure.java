package io.tokenlab.runtime.pipeline;

/**
 * A run that failed, naming the pipeline, the stage and the technique (with its version) that failed
 * or was missing. The runtime itself is unaffected.
 */
public final class RunFailure extends Exception {
    private static final long serialVersionUID = 1L;

    public RunFailure(String message, Throwable cause) {
        super(message, cause);
    }

    public RunFailure(String message) {
        super(message);
    }
}
