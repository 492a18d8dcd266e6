package io.tokenlab.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * The one sharing scheme, checked on what the build made: a technique bundle imports only the api,
 * third-party packages, the {@code *-common} library bundles and the runtime's file formats package
 * ({@code io.tokenlab.runtime.io}: safetensors and the other formats written once for every plugin), never
 * another technique's package nor the rest of the runtime. Read from each bundle's Import-Package, so an import bnd would wire at run time is
 * caught whatever the source looks like.
 */
class PluginImportsIT {
    /**
     * Modules under plugins/ that are no technique and may import techniques: the transplant evaluation
     * harness runs every transplant technique against the others (to be moved out of plugins/).
     */
    private static final Set<String> NOT_TECHNIQUES = Set.of("transplant-harness");

    /** The runtime package that holds the file formats shared by all plugins (one safetensors reader and writer). */
    private static final String FORMATS = "io.tokenlab.runtime.io";

    @Test
    void noTechniqueBundleImportsAnotherTechniqueOrTheRuntime() throws IOException {
        List<String> violations = new ArrayList<>();
        List<Path> jars = pluginJars();
        for (Path jar : jars) {
            String module = jar.getFileName().toString().replace("-1.0.0.jar", "");
            if (NOT_TECHNIQUES.contains(module)) {
                continue;
            }
            String header;
            try (JarFile file = new JarFile(jar.toFile())) {
                header = file.getManifest().getMainAttributes().getValue("Import-Package");
            }
            for (String pkg : packages(header)) {
                if (!allowed(pkg)) {
                    violations.add(module + " imports " + pkg);
                }
            }
        }
        assertThat(jars).as("plugin jars under plugins/*/target (build them first)").hasSizeGreaterThan(30);
        assertThat(violations).as("techniques may import only io.tokenlab.api.*, third-party packages and "
                + "io.tokenlab.plugin.<kind>.common and " + FORMATS + "; move shared code into the kind's -common bundle").isEmpty();
    }

    @Test
    void theRuleRefusesATechniqueOrRuntimeImportAndAcceptsTheApiAndLibraries() {
        String header = "io.tokenlab.api;version=\"[1.0,2)\",io.tokenlab.plugin.prune.common;version=\"[1.0,2)\","
                + "io.tokenlab.plugin.tokenizer.bpe;version=\"[1.0,2)\",io.tokenlab.runtime.data,"
                + "org.osgi.framework;version=\"[1.10,2)\";resolution:=optional";
        assertThat(packages(header)).containsExactly("io.tokenlab.api", "io.tokenlab.plugin.prune.common",
                "io.tokenlab.plugin.tokenizer.bpe", "io.tokenlab.runtime.data", "org.osgi.framework");
        assertThat(packages(header).stream().filter(p -> !allowed(p)))
                .containsExactly("io.tokenlab.plugin.tokenizer.bpe", "io.tokenlab.runtime.data");
    }

    static boolean allowed(String pkg) {
        if (!pkg.startsWith("io.tokenlab.")) {
            return true;
        }
        return pkg.equals("io.tokenlab.api") || pkg.startsWith("io.tokenlab.api.")
                || pkg.equals(FORMATS)
                || pkg.matches("io\\.tokenlab\\.plugin\\.[a-z0-9]+\\.common(\\..+)?");
    }

    /** The package names of a manifest header; commas inside quoted attribute values do not split. */
    static List<String> packages(String header) {
        List<String> names = new ArrayList<>();
        if (header == null) {
            return names;
        }
        boolean quoted = false;
        int start = 0;
        for (int i = 0; i <= header.length(); i++) {
            char c = i < header.length() ? header.charAt(i) : ',';
            if (c == '"') {
                quoted = !quoted;
            } else if (c == ',' && !quoted) {
                String clause = header.substring(start, i);
                int semicolon = clause.indexOf(';');
                names.add((semicolon < 0 ? clause : clause.substring(0, semicolon)).trim());
                start = i + 1;
            }
        }
        return names;
    }

    private static List<Path> pluginJars() throws IOException {
        List<Path> jars = new ArrayList<>();
        try (Stream<Path> modules = Files.list(EmbeddedRuntime.ROOT.resolve("plugins"))) {
            for (Path module : (Iterable<Path>) modules.sorted()::iterator) {
                Path jar = module.resolve("target").resolve(module.getFileName() + "-1.0.0.jar");
                if (Files.isRegularFile(jar)) {
                    jars.add(jar);
                }
            }
        }
        return jars;
    }
}
