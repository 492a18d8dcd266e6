package io.tokenlab.runtime.data;

import java.util.Locale;
import java.util.Objects;

/**
 * One file, or one directory tree, of a named data set: where it lives inside which registry
 * package, and the digest it must have.
 *
 * <p>A file entry records the SHA-256 of the file. A tree entry (its path ends with {@code /})
 * records the number of files under it and a SHA-256 over the sorted lines
 * {@code "<sha256 of file>  <path relative to the tree>\n"}, so that one recorded value checks
 * thousands of corpus files at once.
 *
 * @param dataSet   the catalog name, e.g. {@code cl100k_base}
 * @param source    the registry package the file comes from
 * @param path      the path inside the package ({@code a/b.txt}, or {@code a/b/} for a tree)
 * @param fileCount for a tree, the number of files it must hold; 1 for a file
 * @param sha256    lower-case hex digest of the file, or of the tree listing
 */
public record DataSetEntry(String dataSet, PackageSource source, String path, int fileCount, String sha256) {
    public DataSetEntry {
        Objects.requireNonNull(dataSet, "dataSet");
        Objects.requireNonNull(source, "source");
        Objects.requireNonNull(path, "path");
        sha256 = Objects.requireNonNull(sha256, "sha256").toLowerCase(Locale.ROOT);
        if (path.startsWith("/") || path.contains("..")) {
            throw new IllegalArgumentException("data set " + dataSet + ": path '" + path
                    + "' must be relative to the package root and stay inside it");
        }
    }

    public boolean isTree() {
        return path.endsWith("/");
    }

    /** The name this entry gets in the cache: the last component of its path. */
    public String cacheName() {
        String trimmed = isTree() ? path.substring(0, path.length() - 1) : path;
        return trimmed.substring(trimmed.lastIndexOf('/') + 1);
    }
}
