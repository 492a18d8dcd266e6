package io.tokenlab.runtime.data;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * A jar from a Maven repository ({@code group:artifact:version}). The local repository is used
 * when it already holds the jar; otherwise {@code mvn dependency:copy} fetches it.
 */
public record MavenSource(String coordinates) implements PackageSource {
    public MavenSource {
        if (coordinates.split(":").length != 3) {
            throw new IllegalArgumentException("maven coordinates '" + coordinates + "' are not group:artifact:version");
        }
    }

    @Override
    public String registry() {
        return "maven";
    }

    @Override
    public Path fetchAndUnpack(Path workDir) throws IOException {
        String[] gav = coordinates.split(":");
        String jarName = gav[1] + "-" + gav[2] + ".jar";
        Path local = localRepository().resolve(gav[0].replace('.', '/')).resolve(gav[1]).resolve(gav[2]).resolve(jarName);
        Path jar;
        if (Files.isRegularFile(local)) {
            jar = local;
        } else {
            Path downloads = Files.createDirectories(workDir.resolve("download"));
            Commands.run(downloads, List.of("mvn", "-B", "-q", "dependency:copy", "-Dartifact=" + coordinates,
                    "-DoutputDirectory=" + downloads.toAbsolutePath()));
            jar = downloads.resolve(jarName);
            if (!Files.isRegularFile(jar)) {
                throw new IOException("mvn dependency:copy of " + coordinates + " left no " + jarName);
            }
        }
        Path unpacked = Files.createDirectories(workDir.resolve("unpacked"));
        unzip(jar, unpacked);
        return unpacked;
    }

    private static Path localRepository() {
        String configured = System.getProperty("maven.repo.local");
        if (configured != null && !configured.isBlank()) {
            return Path.of(configured);
        }
        return Path.of(System.getProperty("user.home"), ".m2", "repository");
    }

    private static void unzip(Path jar, Path target) throws IOException {
        try (ZipInputStream zip = new ZipInputStream(Files.newInputStream(jar))) {
            for (ZipEntry entry; (entry = zip.getNextEntry()) != null; ) {
                Path out = target.resolve(entry.getName()).normalize();
                if (!out.startsWith(target)) {
                    throw new IOException(jar + ": entry '" + entry.getName() + "' points outside the archive");
                }
                if (entry.isDirectory()) {
                    Files.createDirectories(out);
                } else {
                    Files.createDirectories(out.getParent());
                    copy(zip, out);
                }
            }
        }
    }

    private static void copy(InputStream in, Path out) throws IOException {
        Files.copy(in, out, StandardCopyOption.REPLACE_EXISTING);
    }
}
