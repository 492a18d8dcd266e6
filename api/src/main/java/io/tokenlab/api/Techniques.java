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
    /**
     * The ids of the parameters whose value may name a file (a vocabulary, a corpus, a model file), one
     * property value per id. For these alone the runtime takes a value with a path separator or a
     * data-file suffix as a file: it must exist, and a relative path resolves against the working
     * directory, then against the pipeline file's folder. Every other string is passed on as it is, so
     * a value such as {@code tokenizer/bpe} is never mistaken for a path.
     */
    public static final String FILE_PARAMETERS = "tokenlab.parameters.files";
    /**
     * {@code true} on a technique that takes text and works on its bytes: the runtime gives it input
     * bytes that are not UTF-8 as {@link io.tokenlab.api.tokenizer.EscapedBytes} instead of replacing
     * them by U+FFFD, so nothing of the input is lost.
     */
    public static final String RAW_BYTES = "tokenlab.text.rawbytes";

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
