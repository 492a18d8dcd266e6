package io.tokenlab.plugin.decoder.goose;

/** Which draft sources a speculation tree is built from (the paper's comparison at equal budget). */
public enum TreeShape {
    /** GOOSE: a prompt-lookup spine with recycled branches, best-first by estimated acceptance. */
    goose,
    /** Prompt lookup only: one chain of matched tokens. */
    spine,
    /** Token recycling only, best-first by estimated acceptance (an anisotropic recycled tree). */
    recycling,
    /** Token recycling only, the same number of children under every node, level by level. */
    balanced
}
