package io.tokenlab.api;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * How a technique reads a {@code corpus} parameter: a value that names an existing path, or contains a
 * path separator, is a file or folder; anything else is a data set of the run's catalog, fetched on
 * first use. Models trained from a corpus are cached beside its data set, so this also says where.
 */
public final class CorpusLocation {
    private CorpusLocation() {
    }

    /**
     * The local path of {@code corpus}, as parameter {@code parameter} gave it.
     *
     * @throws TechniqueException naming the parameter when the path does not exist or the data set cannot be fetched
     */
    public static Path resolve(String parameter, String corpus, RunContext context) {
        Path direct = Path.of(corpus);
        if (corpus.contains("/") || corpus.contains("\\") || Files.exists(direct)) {
            if (!Files.exists(direct)) {
                throw new TechniqueException("parameter '" + parameter + "': no file or directory " + corpus);
            }
            return direct;
        }
        try {
            return context.data().fetch(corpus);
        } catch (IOException e) {
            throw new TechniqueException("parameter '" + parameter + "': cannot fetch data set '" + corpus + "': "
                    + e.getMessage(), e);
        }
    }

    /**
     * The data directory that holds the corpus (the catalog keeps data set X in {@code <data>/X/...}),
     * or the folder next to a corpus given as a path: where models derived from it are cached.
     */
    public static Path dataDirectoryOf(Path corpusPath, String corpus) {
        Path absolute = corpusPath.toAbsolutePath().normalize();
        for (Path p = absolute; p != null && p.getParent() != null; p = p.getParent()) {
            if (p.getFileName().toString().equals(corpus)) {
                return p.getParent();
            }
        }
        return absolute.getParent();
    }
}
