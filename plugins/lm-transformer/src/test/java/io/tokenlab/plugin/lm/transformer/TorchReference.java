package io.tokenlab.plugin.lm.transformer;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch transcription (src/test/python) with Debian's interpreter, where python3-torch
 * lives. Outside CI a machine without torch skips the parity tests; under CI (the environment
 * variable {@code CI} is set, as CI services and {@code .ci/test} set it) a missing torch fails them,
 * so the check that the model is right can never pass by not running.
 */
final class TorchReference {
    static final Path PYTHON = Path.of("/usr/bin/python3");
    private static Boolean available;

    private TorchReference() {
    }

    static synchronized void require() {
        if (available == null) {
            available = Files.isExecutable(PYTHON) && run(List.of(PYTHON.toString(), "-c", "import torch, numpy"), 120)
                    .startsWith("0\n");
        }
        String why = PYTHON + " with torch and numpy (Debian python3-torch, python3-numpy) is not installed";
        if (System.getenv("CI") != null && !available) {
            throw new AssertionError(why + "; CI must run the PyTorch parity tests (.ci/system-packages installs it)");
        }
        Assumptions.assumeTrue(available, why);
    }

    /** Runs a script of src/test/python; returns its output, failing with it when the script fails. */
    static String script(String name, List<String> args, int timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.add(Path.of("src", "test", "python", name).toString());
        command.addAll(args);
        String out = run(command, timeoutSeconds);
        if (!out.startsWith("0\n")) {
            throw new AssertionError(name + " failed: " + out);
        }
        return out.substring(2);
    }

    /** Exit code, a newline, then the combined output. */
    private static String run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return "-1\ntimed out after " + timeoutSeconds + " s";
            }
            return p.exitValue() + "\n" + new String(out, StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "-1\n" + e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return "-1\n" + e;
        }
    }
}
