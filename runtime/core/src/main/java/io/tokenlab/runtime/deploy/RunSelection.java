package io.tokenlab.runtime.deploy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.Enumeration;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.Attributes;
import java.util.jar.JarFile;
import java.util.jar.Manifest;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.ZipEntry;

/**
 * The jars of bundles/ that one pipeline run needs, found without installing anything: the jars
 * whose component descriptors declare a technique the pipeline file names, and, transitively, the
 * jars that export a package they import, provide a service interface their components reference,
 * or are fragments of them, or declare a technique that their parameter defaults name. A one-shot {@code run} installs only these (installing and starting all
 * plugins was most of its start-up); whatever the run looks up beyond them makes the folder install
 * the rest (see {@link BundleFolder#completeIfPartial()}), so the selection only has to be a good
 * guess, never exact.
 */
public final class RunSelection {
    private static final Pattern TECHNIQUE =
            Pattern.compile("name=\"tokenlab\\.technique\"[^>]*?value=\"([^\"]+)\"");
    private static final Pattern PROVIDE = Pattern.compile("<provide\\s+interface=\"([^\"]+)\"");
    private static final Pattern REFERENCE = Pattern.compile("<reference\\b[^>]*?\\binterface=\"([^\"]+)\"");
    /** Parameter defaults (metatype) and property values, which may name another technique the jar looks up. */
    private static final Pattern VALUE = Pattern.compile("\\b(?:default|value)=\"([^\"]+)\"");

    private RunSelection() {
    }

    /** What one jar offers and needs, as its manifest and descriptors say. */
    private record JarFacts(Path jar, String symbolicName, String host, Set<String> exports, Set<String> imports,
                            Set<String> requiredBundles, Set<String> techniques, Set<String> provides,
                            Set<String> references, Set<String> values) {
    }

    /**
     * The jars to install for a pipeline file's text, or null when the whole folder should be
     * installed: no technique the text names is declared by any jar, or a jar could not be read
     * (the full install then reports it as it always does).
     */
    public static Set<Path> forPipeline(Path folder, String pipelineText) {
        List<JarFacts> all = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(folder, "*.jar")) {
            for (Path p : ds) {
                if (!Files.isRegularFile(p)) {
                    continue;
                }
                JarFacts f = read(p);
                if (f == null) {
                    return null;
                }
                all.add(f);
            }
        } catch (IOException e) {
            return null;
        }
        Deque<JarFacts> work = new ArrayDeque<>();
        Set<Path> chosen = new LinkedHashSet<>();
        for (JarFacts f : all) {
            for (String t : f.techniques) {
                if (names(pipelineText, t) && chosen.add(f.jar)) {
                    work.add(f);
                }
            }
        }
        if (chosen.isEmpty()) {
            return null;
        }
        while (!work.isEmpty()) {
            JarFacts f = work.poll();
            for (JarFacts other : all) {
                if (chosen.contains(other.jar)) {
                    continue;
                }
                boolean needed = intersects(f.imports, other.exports)
                        || intersects(f.references, other.provides)
                        || (other.symbolicName != null && f.requiredBundles.contains(other.symbolicName))
                        || (other.host != null && other.host.equals(f.symbolicName))
                        || intersects(f.values, other.techniques);
                if (needed) {
                    chosen.add(other.jar);
                    work.add(other);
                }
            }
        }
        return chosen;
    }

    /** The technique name as a whole word of the text (not part of a longer name). */
    private static boolean names(String text, String technique) {
        return Pattern.compile("(?<![\\w./-])" + Pattern.quote(technique) + "(?![\\w/-])").matcher(text).find();
    }

    private static boolean intersects(Set<String> a, Set<String> b) {
        for (String s : a) {
            if (b.contains(s)) {
                return true;
            }
        }
        return false;
    }

    private static JarFacts read(Path jar) {
        try (JarFile jf = new JarFile(jar.toFile(), false)) {
            Manifest mf = jf.getManifest();
            if (mf == null) {
                return null;
            }
            Attributes a = mf.getMainAttributes();
            String bsn = first(a.getValue("Bundle-SymbolicName"));
            if (bsn == null) {
                return null;
            }
            Set<String> techniques = new HashSet<>();
            Set<String> provides = new HashSet<>();
            Set<String> references = new HashSet<>();
            Set<String> values = new HashSet<>();
            for (Enumeration<? extends ZipEntry> en = jf.entries(); en.hasMoreElements(); ) {
                ZipEntry e = en.nextElement();
                if (!e.getName().startsWith("OSGI-INF/") || !e.getName().endsWith(".xml")) {
                    continue;
                }
                String xml;
                try (InputStream in = jf.getInputStream(e)) {
                    xml = new String(in.readAllBytes(), StandardCharsets.UTF_8);
                }
                collect(TECHNIQUE, xml, techniques);
                collect(PROVIDE, xml, provides);
                collect(REFERENCE, xml, references);
                collect(VALUE, xml, values);
            }
            return new JarFacts(jar, bsn, first(a.getValue("Fragment-Host")), clauses(a.getValue("Export-Package")),
                    clauses(a.getValue("Import-Package")), clauses(a.getValue("Require-Bundle")), techniques, provides,
                    references, values);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static void collect(Pattern p, String text, Set<String> into) {
        Matcher m = p.matcher(text);
        while (m.find()) {
            into.add(m.group(1));
        }
    }

    private static String first(String header) {
        Set<String> c = clauses(header);
        return c.isEmpty() ? null : c.iterator().next();
    }

    /** The names of an OSGi header's clauses ("a.b;version="[1,2)",c.d" gives a.b and c.d). */
    static Set<String> clauses(String header) {
        Set<String> out = new LinkedHashSet<>();
        if (header == null) {
            return out;
        }
        boolean quoted = false;
        boolean inName = true;
        StringBuilder name = new StringBuilder();
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '"') {
                quoted = !quoted;
            } else if (!quoted && c == ',') {
                add(out, name);
                inName = true;
            } else if (!quoted && c == ';') {
                // a clause may list several names before its attributes: "a;b;version=1"
                if (inName) {
                    add(out, name);
                }
                inName = true;
            } else if (!quoted && (c == '=' || c == ':')) {
                name.setLength(0);
                inName = false;
            } else if (inName) {
                name.append(c);
            }
        }
        if (inName) {
            add(out, name);
        }
        return out;
    }

    private static void add(Set<String> out, StringBuilder name) {
        String n = name.toString().trim();
        if (!n.isEmpty()) {
            out.add(n);
        }
        name.setLength(0);
    }
}
