package io.tokenlab.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/**
 * A Debian package ({@code name} or {@code name=version}), fetched with {@code apt-get download}
 * and unpacked with {@code dpkg-deb -x}. Pinning the version keeps the recorded digests valid;
 * when the archive drops that version, the error says so instead of a digest mismatch.
 */
public record DebianSource(String coordinates) implements PackageSource {
    @Override
    public String registry() {
        return "deb";
    }

    @Override
    public Path fetchAndUnpack(Path workDir) throws IOException {
        Path downloads = Files.createDirectories(workDir.resolve("download"));
        Commands.run(downloads, List.of("apt-get", "download", coordinates));
        Path deb;
        try (Stream<Path> files = Files.list(downloads)) {
            deb = files.filter(p -> p.getFileName().toString().endsWith(".deb")).findFirst()
                    .orElseThrow(() -> new IOException("apt-get download " + coordinates + " left no .deb"));
        }
        Path unpacked = Files.createDirectories(workDir.resolve("unpacked"));
        Commands.run(unpacked, List.of("dpkg-deb", "-x", deb.toAbsolutePath().toString(), unpacked.toAbsolutePath().toString()));
        return unpacked;
    }
}
