package io.tokenlab.api;

/**
 * Service properties by which the runtime finds techniques. A plugin's component provides its
 * kind's interface and sets {@link #TECHNIQUE} to {@code <kind>/<name>}, e.g. {@code tokenizer/bpe}.
 */
public final class Techniques {
    /** {@code <kind>/<name>}; the name pipeline files use in {@code technique:}. */
    public static final String TECHNIQUE = "tokenlab.technique";
    /** One or two sentences for humans, citing the paper the technique implements. */
    public static final String DESCRIPTION = "tokenlab.description";

    private Techniques() {
    }

    /** The kind part of a technique name, validated. */
    public static Kind kindOf(String technique) {
        int slash = technique == null ? -1 : technique.indexOf('/');
        if (slash <= 0 || slash == technique.length() - 1) {
            throw new IllegalArgumentException("technique '" + technique
                    + "' is not of the form <kind>/<name>, e.g. tokenizer/bpe");
        }
        return Kind.fromName(technique.substring(0, slash));
    }
}
