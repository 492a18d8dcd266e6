package io.tokenlab.runtime.http;

import io.tokenlab.runtime.TokenlabRuntime;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.jar.JarInputStream;
import java.util.jar.Manifest;
import java.util.regex.Pattern;

/**
 * {@code POST /api/v1/bundles} and {@code DELETE /api/v1/bundles/{name}}: the same path as an operator
 * dropping a jar into {@code bundles/} (temporary name, then rename), so the folder watcher deploys it.
 */
final class BundleUploads {
    /** A plain file name: no separators, no leading dot (those are the watcher's temporary files). */
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,127}\\.jar");

    private final TokenlabRuntime runtime;

    BundleUploads(TokenlabRuntime runtime) {
        this.runtime = runtime;
    }

    Map<String, Object> upload(String name, byte[] jar) throws IOException {
        Manifest manifest;
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            manifest = in.getManifest();
        } catch (IOException e) {
            throw ApiError.badRequest("the body is not a jar: " + e.getMessage());
        }
        String bsn = manifest == null ? null : manifest.getMainAttributes().getValue("Bundle-SymbolicName");
        if (bsn == null) {
            throw ApiError.badRequest("the jar has no Bundle-SymbolicName in META-INF/MANIFEST.MF: it is not an OSGi bundle");
        }
        String fileName = name == null || name.isBlank() ? bsn.split(";")[0].trim() + ".jar" : name;
        checkName(fileName);
        Path folder = runtime.bundles().folder();
        Files.createDirectories(folder);
        Path tmp = folder.resolve("." + fileName + ".upload");
        Path target = folder.resolve(fileName);
        boolean replaced = Files.exists(target);
        Files.write(tmp, jar);
        try {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("file", "bundles/" + fileName);
        out.put("bundle", bsn.split(";")[0].trim());
        out.put("version", manifest.getMainAttributes().getValue("Bundle-Version"));
        out.put("replaced", replaced);
        return out;
    }

    Map<String, Object> delete(String name) throws IOException {
        String fileName = name.endsWith(".jar") ? name : name + ".jar";
        checkName(fileName);
        Path target = runtime.bundles().folder().resolve(fileName);
        if (!Files.deleteIfExists(target)) {
            throw ApiError.notFound("no bundles/" + fileName + "; deployed: " + deployed());
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("removed", "bundles/" + fileName);
        return out;
    }

    private String deployed() throws IOException {
        try (var s = Files.list(runtime.bundles().folder())) {
            return String.join(", ", s.map(p -> p.getFileName().toString()).filter(n -> n.endsWith(".jar"))
                    .sorted().toList());
        }
    }

    private static void checkName(String fileName) {
        if (!NAME.matcher(fileName).matches()) {
            throw ApiError.badRequest("bundle file name '" + fileName + "' is not accepted: letters, digits, '.', '_' "
                    + "and '-', ending in .jar, without a path");
        }
    }
}
