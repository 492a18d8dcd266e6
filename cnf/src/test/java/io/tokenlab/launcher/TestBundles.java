package io.tokenlab.launcher;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Enumeration;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;
import java.util.function.UnaryOperator;

/**
 * Variants of real plugin jars for the tests: another version, another name, one that cannot resolve,
 * and the broken ones an operator may drop into bundles/.
 */
final class TestBundles {
    static final Path BPE_PLUGIN = EmbeddedRuntime.ROOT.resolve("plugins/tokenizer-bpe/target/tokenizer-bpe-1.0.0.jar");
    static final Path BYTES_PLUGIN = EmbeddedRuntime.ROOT.resolve("plugins/tokenizer-bytes/target/tokenizer-bytes-1.0.0.jar");

    private TestBundles() {
    }

    /** The tokenizer/bytes plugin with another Bundle-Version. */
    static Path withVersion(Path dir, String version) throws IOException {
        return rewrite(BYTES_PLUGIN, dir.resolve("bytes-" + version + ".jar"), m -> {
            m.getMainAttributes().putValue("Bundle-Version", version);
            return m;
        }, UnaryOperator.identity());
    }

    /** Any plugin jar with another Bundle-Version. */
    static Path withVersion(Path plugin, Path dir, String version) throws IOException {
        String name = plugin.getFileName().toString().replace(".jar", "");
        return rewrite(plugin, dir.resolve(name + "-" + version + ".jar"), m -> {
            m.getMainAttributes().putValue("Bundle-Version", version);
            return m;
        }, UnaryOperator.identity());
    }

    /** The tokenizer/bytes plugin as a second, independent technique {@code tokenizer/<name>}. */
    static Path renamed(Path dir, String name) throws IOException {
        return rewrite(BYTES_PLUGIN, dir.resolve(name + ".jar"), m -> {
            m.getMainAttributes().putValue("Bundle-SymbolicName", "io.tokenlab.itest." + name.replace('-', '.'));
            return m;
        }, xml -> xml.replace("tokenizer/bytes", "tokenizer/" + name));
    }

    /** A bundle whose component declares tokenizer/ghost but that imports a package nobody exports. */
    static Path unresolvable(Path dir) throws IOException {
        Path out = dir.resolve("ghost.jar");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "io.tokenlab.itest.ghost");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "org.example.nowhere;version=\"[1.0,2)\"");
        a.putValue("Service-Component", "OSGI-INF/ghost.xml");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out), m)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/ghost.xml"));
            jar.write(("<?xml version=\"1.0\"?><scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" "
                    + "name=\"ghost\"><implementation class=\"org.example.nowhere.Ghost\"/>"
                    + "<property name=\"tokenlab.technique\" value=\"tokenizer/ghost\"/>"
                    + "<service><provide interface=\"io.tokenlab.api.tokenizer.TokenizerTechnique\"/></service>"
                    + "</scr:component>").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return out;
    }

    /** The tokenizer/bytes plugin under another bundle name: the same technique and version twice. */
    static Path twin(Path dir) throws IOException {
        return rewrite(BYTES_PLUGIN, dir.resolve("twin.jar"), m -> {
            m.getMainAttributes().putValue("Bundle-SymbolicName", "io.tokenlab.itest.twin");
            return m;
        }, UnaryOperator.identity());
    }

    /** tokenizer/missing: its component names an implementation class the jar does not contain. */
    static Path missingClass(Path dir) throws IOException {
        return rewrite(BYTES_PLUGIN, dir.resolve("missing-class.jar"), m -> {
            m.getMainAttributes().putValue("Bundle-SymbolicName", "io.tokenlab.itest.missing");
            return m;
        }, xml -> xml.replace("tokenizer/bytes", "tokenizer/missing")
                .replace("class=\"io.tokenlab.plugin.tokenizer.bytes.ByteTokenizerTechnique\"",
                        "class=\"io.tokenlab.plugin.tokenizer.bytes.NoSuchTechnique\""));
    }

    /** tokenizer/badxml: its component descriptor is cut off before the closing tag. */
    static Path malformedDescriptor(Path dir) throws IOException {
        return rewrite(BYTES_PLUGIN, dir.resolve("bad-xml.jar"), m -> {
            m.getMainAttributes().putValue("Bundle-SymbolicName", "io.tokenlab.itest.badxml");
            return m;
        }, xml -> xml.contains("<scr:component")
                ? xml.replace("tokenizer/bytes", "tokenizer/badxml").replace("</scr:component>", "") : xml);
    }

    /** A fragment whose Fragment-Host is not installed. */
    static Path orphanFragment(Path dir) throws IOException {
        Path out = dir.resolve("orphan-fragment.jar");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "io.tokenlab.itest.fragment");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Fragment-Host", "io.example.nohost;bundle-version=\"[1.0,2)\"");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out), m)) {
            jar.putNextEntry(new JarEntry("io/example/extra/readme.txt"));
            jar.write("resources for the host".getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
        }
        return out;
    }

    /**
     * tokenizer/exploding: a component whose constructor throws, compiled here, so its activation
     * fails with a real exception.
     */
    static Path exploding(Path dir) throws IOException {
        Path src = Files.createDirectories(dir.resolve("exploding-src/io/tokenlab/itest/exploding"));
        Files.writeString(src.resolve("Exploding.java"), "package io.tokenlab.itest.exploding;\n"
                + "public class Exploding {\n"
                + "    public Exploding() {\n"
                + "        throw new IllegalStateException(\"vocabulary file /nonexistent/vocab.json is missing\");\n"
                + "    }\n"
                + "}\n");
        Path classes = Files.createDirectories(dir.resolve("exploding-classes"));
        javax.tools.JavaCompiler javac = javax.tools.ToolProvider.getSystemJavaCompiler();
        int rc = javac.run(null, null, null, "--release", "17", "-d", classes.toString(),
                src.resolve("Exploding.java").toString());
        if (rc != 0) {
            throw new IOException("could not compile the exploding component (javac exit " + rc + ")");
        }
        Path out = dir.resolve("exploding.jar");
        Manifest m = new Manifest();
        Attributes a = m.getMainAttributes();
        a.put(Attributes.Name.MANIFEST_VERSION, "1.0");
        a.putValue("Bundle-ManifestVersion", "2");
        a.putValue("Bundle-SymbolicName", "io.tokenlab.itest.exploding");
        a.putValue("Bundle-Version", "1.0.0");
        a.putValue("Import-Package", "io.tokenlab.api.tokenizer;version=\"[1.0,2)\"");
        a.putValue("Service-Component", "OSGI-INF/exploding.xml");
        try (JarOutputStream jar = new JarOutputStream(Files.newOutputStream(out), m)) {
            jar.putNextEntry(new JarEntry("OSGI-INF/exploding.xml"));
            jar.write(("<?xml version=\"1.0\"?><scr:component xmlns:scr=\"http://www.osgi.org/xmlns/scr/v1.3.0\" "
                    + "name=\"exploding\"><implementation class=\"io.tokenlab.itest.exploding.Exploding\"/>"
                    + "<property name=\"tokenlab.technique\" value=\"tokenizer/exploding\"/>"
                    + "<service><provide interface=\"io.tokenlab.api.tokenizer.TokenizerTechnique\"/></service>"
                    + "</scr:component>").getBytes(StandardCharsets.UTF_8));
            jar.closeEntry();
            jar.putNextEntry(new JarEntry("io/tokenlab/itest/exploding/Exploding.class"));
            jar.write(Files.readAllBytes(classes.resolve("io/tokenlab/itest/exploding/Exploding.class")));
            jar.closeEntry();
        }
        return out;
    }

    private static Path rewrite(Path in, Path out, UnaryOperator<Manifest> manifest, UnaryOperator<String> descriptors)
            throws IOException {
        try (JarFile src = new JarFile(in.toFile())) {
            Manifest m = manifest.apply(new Manifest(src.getManifest()));
            try (OutputStream os = Files.newOutputStream(out); JarOutputStream jar = new JarOutputStream(os, m)) {
                Enumeration<JarEntry> entries = src.entries();
                while (entries.hasMoreElements()) {
                    JarEntry e = entries.nextElement();
                    if (e.getName().equals("META-INF/MANIFEST.MF")) {
                        continue;
                    }
                    jar.putNextEntry(new JarEntry(e.getName()));
                    try (InputStream is = src.getInputStream(e)) {
                        byte[] bytes = is.readAllBytes();
                        if (e.getName().startsWith("OSGI-INF/") && e.getName().endsWith(".xml")) {
                            bytes = descriptors.apply(new String(bytes, StandardCharsets.UTF_8)).getBytes(StandardCharsets.UTF_8);
                        }
                        jar.write(bytes);
                    }
                    jar.closeEntry();
                }
            }
        }
        return out;
    }
}
