package io.tokenlab.plugin.transplant.common;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

/**
 * The first {@code maxBytes} of a text corpus (a file, or a directory read in sorted path order, so the
 * slice is the same on every machine), split into paragraphs at blank lines. Paragraphs are the units
 * co-occurrence windows stay inside.
 */
public final class CorpusSlice {
    private CorpusSlice() {
    }

    public static List<String> paragraphs(Path corpus, long maxBytes) throws IOException {
        List<Path> files = new ArrayList<>();
        if (Files.isDirectory(corpus)) {
            try (Stream<Path> walk = Files.walk(corpus)) {
                walk.filter(Files::isRegularFile).map(Path::toString).sorted().forEach(p -> files.add(Path.of(p)));
            }
        } else {
            files.add(corpus);
        }
        List<String> out = new ArrayList<>();
        long taken = 0;
        for (Path f : files) {
            if (taken >= maxBytes) {
                break;
            }
            byte[] bytes = Files.readAllBytes(f);
            int n = (int) Math.min(bytes.length, maxBytes - taken);
            taken += n;
            String text = new String(bytes, 0, n, StandardCharsets.UTF_8);
            StringBuilder paragraph = new StringBuilder();
            for (String line : text.split("\n", -1)) {
                if (line.isBlank()) {
                    if (paragraph.length() > 0) {
                        out.add(paragraph.toString());
                        paragraph.setLength(0);
                    }
                } else {
                    paragraph.append(paragraph.length() > 0 ? "\n" : "").append(line);
                }
            }
            if (paragraph.length() > 0) {
                out.add(paragraph.toString());
            }
        }
        if (out.isEmpty()) {
            throw new IOException(corpus + ": no text in the corpus");
        }
        return out;
    }
}
