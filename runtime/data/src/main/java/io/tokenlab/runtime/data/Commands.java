package io.tokenlab.runtime.data;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs a registry client as a child process; its output is kept for the error message only. */
final class Commands {
    private static final long TIMEOUT_MINUTES = 20;

    private Commands() {
    }

    static void run(Path directory, List<String> command) throws IOException {
        Path log = Files.createTempFile(directory, "command", ".log");
        Process process;
        try {
            process = new ProcessBuilder(command).directory(directory.toFile())
                    .redirectErrorStream(true).redirectOutput(log.toFile()).start();
        } catch (IOException e) {
            throw new IOException("cannot start '" + command.get(0) + "' (is it installed and on the PATH?): "
                    + e.getMessage(), e);
        }
        try {
            if (!process.waitFor(TIMEOUT_MINUTES, TimeUnit.MINUTES)) {
                process.destroyForcibly();
                throw new IOException("'" + String.join(" ", command) + "' did not finish within "
                        + TIMEOUT_MINUTES + " minutes");
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while running '" + String.join(" ", command) + "'", e);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        Files.deleteIfExists(log);
        if (process.exitValue() != 0) {
            throw new IOException("'" + String.join(" ", command) + "' failed with exit code "
                    + process.exitValue() + ": " + tail(output));
        }
    }

    private static String tail(String output) {
        String trimmed = output.strip();
        return trimmed.length() <= 2000 ? trimmed : "..." + trimmed.substring(trimmed.length() - 2000);
    }
}
