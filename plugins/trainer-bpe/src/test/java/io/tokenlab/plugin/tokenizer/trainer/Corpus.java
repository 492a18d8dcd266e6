package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.runtime.data.FileCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Real English for the tests: the linux-doc sources through the data catalog, as non-empty lines.
 * Training slices come from the start of the file list, held-out text from its end, so they never
 * overlap.
 */
final class Corpus {
    private static List<Path> files;

    private Corpus() {
    }

    static synchronized List<Path> files() {
        if (files == null) {
            try {
                Path root = new FileCatalog(FileCatalog.defaultDataDirectory()).fetch("linux-doc");
                try (Stream<Path> s = Files.walk(root)) {
                    files = s.filter(Files::isRegularFile).sorted().collect(Collectors.toList());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return files;
    }

    /** About {@code chars} characters of lines from the first files. */
    static List<String> training(int chars) {
        return lines(files(), chars);
    }

    /** About {@code chars} characters of lines from the last files, never used for training here. */
    static List<String> heldOut(int chars) {
        List<Path> reversed = new ArrayList<>(files());
        java.util.Collections.reverse(reversed);
        return lines(reversed, chars);
    }

    private static List<String> lines(List<Path> from, int chars) {
        List<String> out = new ArrayList<>();
        long total = 0;
        for (Path f : from) {
            try {
                for (String line : new String(Files.readAllBytes(f), StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isBlank()) {
                        out.add(line);
                        total += line.length();
                        if (total >= chars) {
                            return out;
                        }
                    }
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return out;
    }

    static double bytesPerToken(io.tokenlab.api.tokenizer.Tokenizer t, List<String> lines) {
        long bytes = 0;
        long tokens = 0;
        for (String line : lines) {
            bytes += line.getBytes(StandardCharsets.UTF_8).length;
            tokens += t.encode(line, t.specialTokens()).length;
        }
        return (double) bytes / tokens;
    }
}
