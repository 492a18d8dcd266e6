package io.tokenlab.runtime.cli;

import io.tokenlab.runtime.deploy.RunSelection;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Which jars of bundles/ a command line needs at start: for {@code run PIPELINE} only those of the
 * pipeline's techniques (see {@link RunSelection}); for every other command, and whenever the
 * pipeline file cannot be read here, all of them (null). {@code -Dtokenlab.bundles.lazy=false}
 * turns the selection off.
 */
public final class OneShotRun {
    /** Options of {@code run} that take a value as the next argument. */
    private static final Set<String> WITH_VALUE = Set.of("--input", "--output", "--set", "--invalid-utf8");

    private OneShotRun() {
    }

    public static Set<Path> jarsFor(CompletableFuture<String[]> arguments, Path bundles) {
        if (!Boolean.parseBoolean(System.getProperty("tokenlab.bundles.lazy", "true"))) {
            return null;
        }
        String[] args;
        try {
            args = arguments.get(10, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        } catch (ExecutionException | TimeoutException e) {
            return null;
        }
        Path pipeline = pipelineOf(args);
        if (pipeline == null) {
            return null;
        }
        try {
            // --set values may name techniques too (a stage's tokenizer, say)
            String text = Files.readString(pipeline, StandardCharsets.UTF_8) + "\n" + String.join("\n", args);
            return RunSelection.forPipeline(bundles, text);
        } catch (IOException | RuntimeException e) {
            return null; // the command reports the file itself
        }
    }

    /** The PIPELINE argument of a {@code run} command line, or null for any other command. */
    static Path pipelineOf(String[] args) {
        if (args.length < 2 || !args[0].equals("run")) {
            return null;
        }
        for (int i = 1; i < args.length; i++) {
            String a = args[i];
            if (WITH_VALUE.contains(a)) {
                i++;
            } else if (a.equals("--")) {
                return i + 1 < args.length ? path(args[i + 1]) : null;
            } else if (!a.startsWith("-")) {
                return path(a);
            } else if (a.equals("-h") || a.equals("--help") || a.equals("-V") || a.equals("--version")) {
                return null;
            }
        }
        return null;
    }

    private static Path path(String arg) {
        try {
            Path p = Path.of(arg);
            return Files.isRegularFile(p) ? p : null;
        } catch (RuntimeException e) {
            return null;
        }
    }
}
