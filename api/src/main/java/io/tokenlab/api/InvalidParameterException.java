package io.tokenlab.api;

/** A parameter value that the technique cannot accept; names the parameter and the accepted values. */
public class InvalidParameterException extends TechniqueException {
    private static final long serialVersionUID = 1L;
    private final String parameter;

    public InvalidParameterException(String parameter, String message) {
        super("parameter '" + parameter + "': " + message);
        this.parameter = parameter;
    }

    public String parameter() {
        return parameter;
    }
}
