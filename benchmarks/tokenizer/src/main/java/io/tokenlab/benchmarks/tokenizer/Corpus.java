package io.tokenlab.benchmarks.tokenizer;

import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import io.tokenlab.runtime.data.FileCatalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** The benchmark inputs: real English from the linux-doc data set, as documents of about 64 KB. */
final class Corpus {
    static final FileCatalog CATALOG = new FileCatalog();

    private Corpus() {
    }

    static List<String> documents(long bytes) throws IOException {
        List<String> out = new ArrayList<>();
        long taken = 0;
        StringBuilder current = new StringBuilder();
        try (Stream<Path> files = Files.walk(CATALOG.fetch("linux-doc"))) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                String text = Files.readString(f, StandardCharsets.UTF_8);
                current.append(text);
                taken += text.getBytes(StandardCharsets.UTF_8).length;
                if (current.length() >= 65536) {
                    out.add(current.toString());
                    current.setLength(0);
                }
                if (taken >= bytes) {
                    break;
                }
            }
        }
        if (current.length() > 0) {
            out.add(current.toString());
        }
        return out;
    }

    static long utf8Bytes(List<String> docs) {
        long n = 0;
        for (String d : docs) {
            n += d.getBytes(StandardCharsets.UTF_8).length;
        }
        return n;
    }

    static Tokenizer tokenlab(String vocabulary) throws IOException {
        return BpeTechnique.openFile(vocabulary, CATALOG.fetch(vocabulary), Set.of());
    }
}
