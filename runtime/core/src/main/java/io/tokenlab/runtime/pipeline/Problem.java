package io.tokenlab.runtime.pipeline;

/**
 * One mistake in a pipeline file, at a place: {@code file:line:column: message}. Lines and columns
 * count from 1, as editors show them.
 */
public record Problem(String file, int line, int column, String message) {
    @Override
    public String toString() {
        // line 0: the value came from the command line (--set), which has no lines
        return line == 0 ? file + ": " + message : file + ":" + line + ":" + column + ": " + message;
    }
}
