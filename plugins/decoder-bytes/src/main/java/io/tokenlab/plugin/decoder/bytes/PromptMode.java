package io.tokenlab.plugin.decoder.bytes;

/** How a prompt that may end inside a token is continued. */
public enum PromptMode {
    /** Its last word read byte by byte, every encoding counted: exact for the model. */
    exact,
    /** Its last token backed off, the next token forced to start with that token's bytes. */
    healing,
    /** Its canonical tokens taken as they are: wrong whenever the cut falls inside a token. */
    naive
}
