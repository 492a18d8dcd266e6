package io.tokenlab.runtime.deploy;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

import static org.assertj.core.api.Assertions.assertThat;

class RunSelectionTest {
    private static final String PIPELINE = "name: t\nstages:\n  - id: a\n    technique: decoder/fast\n";

    @Test
    void choosesTheNamedTechniqueAndWhatItNeedsOnly(@TempDir Path folder) throws IOException {
        Path fast = jar(folder, "decoder-fast.jar", Map.of("Bundle-SymbolicName", "x.fast",
                        "Import-Package", "x.api;version=\"[1.0,2)\",x.support;version=\"[1.0,2)\""),
                component("decoder/fast", "x.api.Decoder", "x.api.Model", "model.tokenizer", "tokenizer/words"));
        Path support = jar(folder, "support.jar", Map.of("Bundle-SymbolicName", "x.support",
                "Export-Package", "x.support;version=\"1.0.0\";uses:=\"x.api\""), null);
        Path model = jar(folder, "model.jar", Map.of("Bundle-SymbolicName", "x.model"),
                component("model/ngram", "x.api.Model", null, null, null));
        Path words = jar(folder, "words.jar", Map.of("Bundle-SymbolicName", "x.words"),
                component("tokenizer/words", "x.api.Tokenizer", null, null, null));
        Path fragment = jar(folder, "fast-natives.jar", Map.of("Bundle-SymbolicName", "x.fast.natives",
                "Fragment-Host", "x.fast;bundle-version=\"[1,2)\""), null);
        jar(folder, "other.jar", Map.of("Bundle-SymbolicName", "x.other", "Export-Package", "x.unused"),
                component("decoder/fast-other", "x.api.Decoder", null, null, null));
        jar(folder, "decoder-slow.jar", Map.of("Bundle-SymbolicName", "x.slow"),
                component("decoder/slow", "x.api.Decoder", null, null, null));

        assertThat(RunSelection.forPipeline(folder, PIPELINE))
                .containsExactlyInAnyOrder(fast, support, model, words, fragment);
    }

    @Test
    void installsEverythingWhenNoJarDeclaresANamedTechnique(@TempDir Path folder) throws IOException {
        jar(folder, "decoder-slow.jar", Map.of("Bundle-SymbolicName", "x.slow"),
                component("decoder/slow", "x.api.Decoder", null, null, null));
        assertThat(RunSelection.forPipeline(folder, PIPELINE)).isNull();
    }

    @Test
    void installsEverythingWhenAJarCannotBeRead(@TempDir Path folder) throws IOException {
        jar(folder, "decoder-fast.jar", Map.of("Bundle-SymbolicName", "x.fast"),
                component("decoder/fast", "x.api.Decoder", null, null, null));
        Files.writeString(folder.resolve("junk.jar"), "not a zip");
        assertThat(RunSelection.forPipeline(folder, PIPELINE)).isNull();
    }

    @Test
    void readsTheNamesOfHeaderClauses() {
        assertThat(RunSelection.clauses("a.b;version=\"[1.0,2)\",c.d;e.f;uses:=\"a.b,g\", h"))
                .containsExactly("a.b", "c.d", "e.f", "h");
        assertThat(RunSelection.clauses(null)).isEmpty();
    }

    private static String component(String technique, String provides, String references, String defaultName,
                                    String defaultValue) {
        StringBuilder xml = new StringBuilder("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                + "<scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" name=\"c\">\n"
                + "  <property name=\"tokenlab.technique\" type=\"String\" value=\"" + technique + "\"/>\n"
                + "  <service><provide interface=\"" + provides + "\"/></service>\n");
        if (references != null) {
            xml.append("  <reference name=\"r\" cardinality=\"0..n\" interface=\"").append(references).append("\"/>\n");
        }
        xml.append("  <implementation class=\"c.C\"/>\n</scr:component>\n");
        if (defaultName != null) {
            xml.append("<!-- metatype -->\n<AD id=\"").append(defaultName).append("\" type=\"String\" default=\"")
                    .append(defaultValue).append("\"/>\n");
        }
        return xml.toString();
    }

    private static Path jar(Path folder, String name, Map<String, String> headers, String descriptor) throws IOException {
        Manifest mf = new Manifest();
        mf.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        headers.forEach((k, v) -> mf.getMainAttributes().putValue(k, v));
        Path jar = folder.resolve(name);
        try (OutputStream out = Files.newOutputStream(jar); JarOutputStream j = new JarOutputStream(out, mf)) {
            if (descriptor != null) {
                j.putNextEntry(new JarEntry("OSGI-INF/c.xml"));
                j.write(descriptor.getBytes(StandardCharsets.UTF_8));
                j.closeEntry();
            }
        }
        return jar;
    }
}
