package io.tokenlab.plugin.transplant.common;

import java.io.IOException;

/**
 * An embedding-table file that cannot be used: corrupt, truncated, of an unsupported type, with a
 * row count that does not match its vocabulary, or with non-finite values. The message names the file
 * and what was expected.
 */
public final class TableFormatException extends IOException {
    private static final long serialVersionUID = 1L;

    public TableFormatException(String message) {
        super(message);
    }

    /** A refusal of the runtime's reader, whose message already names the file and what was expected. */
    public TableFormatException(String message, Throwable cause) {
        super(message, cause);
    }
}
