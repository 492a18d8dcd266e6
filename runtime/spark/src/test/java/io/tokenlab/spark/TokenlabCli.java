package io.tokenlab.spark;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** The repository's {@code ./tokenlab} script, run as a user runs it: the reference the runner is held to. */
final class TokenlabCli {
    static final Path ROOT = Path.of(System.getProperty("tokenlab.root", "../..")).toAbsolutePath().normalize();

    private TokenlabCli() {
    }

    record Result(int exit, String out, String err) {
    }

    static Result run(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(ROOT.resolve("tokenlab").toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(ROOT.toFile());
        String repo = System.getProperty("maven.repo.local");
        if (repo != null) {
            // the data catalog fetches vocabularies through the same local repository as this build
            pb.environment().put("TOKENLAB_JAVA_OPTS", "-Dmaven.repo.local=" + repo);
        }
        Process p = pb.start();
        p.getOutputStream().close();
        CompletableFuture<String> out = drain(p.getInputStream());
        CompletableFuture<String> err = drain(p.getErrorStream());
        if (!p.waitFor(300, TimeUnit.SECONDS)) {
            p.destroyForcibly();
            throw new AssertionError("tokenlab " + String.join(" ", args) + " did not end in 300 s");
        }
        return new Result(p.exitValue(), out.join(), err.join());
    }

    private static CompletableFuture<String> drain(InputStream in) {
        return CompletableFuture.supplyAsync(() -> {
            try {
                return new String(in.readAllBytes(), StandardCharsets.UTF_8);
            } catch (IOException e) {
                throw new java.io.UncheckedIOException(e);
            }
        });
    }
}
