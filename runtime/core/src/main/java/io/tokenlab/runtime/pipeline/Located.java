package io.tokenlab.runtime.pipeline;

/** A value from a pipeline file with where it was written (or where a {@code --set} put it). */
public record Located<T>(T value, String file, int line, int column) {
    public Problem problem(String message) {
        return new Problem(file, line, column, message);
    }
}
