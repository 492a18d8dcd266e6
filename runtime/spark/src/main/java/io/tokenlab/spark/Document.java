package io.tokenlab.spark;

import java.io.Serializable;
import java.nio.charset.StandardCharsets;

/**
 * One input document and where it came from.
 *
 * @param path   the input file
 * @param offset in a line-based file the byte offset of its line; in Parquet its row within the task's split
 * @param line   whether the file is line-based (text, JSONL)
 * @param raw    the line's bytes as read (text files), or null
 * @param text   the document's text (JSONL field, Parquet column), or null for text files
 */
record Document(String path, long offset, boolean line, byte[] raw, String text) implements Serializable {
    long bytes() {
        return raw != null ? raw.length : text.getBytes(StandardCharsets.UTF_8).length;
    }

    /** Names the document in an error message. */
    String where() {
        return line ? path + " (the line at byte " + offset + ")" : path + " (row " + offset + " of its split)";
    }
}
