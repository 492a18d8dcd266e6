package io.tokenlab.api;

/**
 * A technique could not do what was asked: bad parameters, bad input, a missing or corrupt file.
 * The message must name the offending value or file and say what is accepted.
 */
public class TechniqueException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TechniqueException(String message) {
        super(message);
    }

    public TechniqueException(String message, Throwable cause) {
        super(message, cause);
    }
}
