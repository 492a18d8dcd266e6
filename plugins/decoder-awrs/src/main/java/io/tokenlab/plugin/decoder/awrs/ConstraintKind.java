package io.tokenlab.plugin.decoder.awrs;

/** How the stage's constraint is written. */
public enum ConstraintKind {
    /** The {@code schema} parameter: a JSON schema (subset), or a path to a file holding one. */
    json_schema,
    /** The {@code regex} parameter: a regular expression the whole output must match. */
    regex
}
