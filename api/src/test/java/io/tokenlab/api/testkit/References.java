package io.tokenlab.api.testkit;

import org.junit.jupiter.api.Assumptions;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * Decides what a test does when its reference implementation (PyTorch, numpy, scikit-learn,
 * SentencePiece, an OpenCL platform...) is missing. Under {@code .ci/test}, which installs every
 * reference, the environment variable {@value #REQUIRE} is set and a missing reference fails the test:
 * a green build then means the strongest checks ran. Elsewhere the test is skipped and the message
 * names the Debian package that brings the reference.
 */
public final class References {
    /** Set (to anything but "0" or "false") by .ci/test; also read as a system property of the same name. */
    public static final String REQUIRE = "TOKENLAB_REQUIRE_REFERENCES";
    /** Debian's interpreter: python3-torch, -numpy and -sklearn install their modules for it only. */
    public static final Path PYTHON = Path.of("/usr/bin/python3");

    private static final Map<String, Boolean> PROBED = new ConcurrentHashMap<>();

    private References() {
    }

    /** True when a missing reference must fail the test instead of skipping it. */
    public static boolean required() {
        return truthy(System.getenv(REQUIRE)) || truthy(System.getProperty(REQUIRE));
    }

    static boolean truthy(String value) {
        return value != null && !value.isBlank() && !value.equalsIgnoreCase("false") && !value.equals("0");
    }

    /**
     * Continues when {@code present}; otherwise fails (under CI) or skips the test, naming
     * {@code what} is missing and the Debian package that provides it.
     */
    public static void require(boolean present, String what, String debianPackage) {
        require(present, what, debianPackage, required());
    }

    static void require(boolean present, String what, String debianPackage, boolean mustBePresent) {
        if (present) {
            return;
        }
        String message = what + " is missing: install the Debian package " + debianPackage
                + " (apt-get install " + debianPackage + "; .ci/system-packages does)";
        if (mustBePresent) {
            throw new AssertionError(message + " [" + REQUIRE + " is set, so this reference test cannot be skipped]");
        }
        Assumptions.abort(message);
    }

    /** Requires Debian's python3 able to import every module of {@code modules} (e.g. "torch", "numpy"). */
    public static void requirePython(String debianPackages, String... modules) {
        String key = "python:" + String.join(",", modules);
        boolean present = PROBED.computeIfAbsent(key, k -> Files.isExecutable(PYTHON)
                && exitCode(List.of(PYTHON.toString(), "-c", "import " + String.join(", ", modules))) == 0);
        require(present, PYTHON + " with the Python modules " + String.join(", ", modules), debianPackages);
    }

    /** Requires an executable named {@code program} on the PATH. */
    public static void requireProgram(String program, String debianPackage) {
        boolean present = PROBED.computeIfAbsent("program:" + program, k -> onPath(program));
        require(present, "the program " + program, debianPackage);
    }

    static boolean onPath(String program) {
        String path = System.getenv("PATH");
        if (path == null) {
            return false;
        }
        for (String dir : path.split(File.pathSeparator)) {
            if (!dir.isEmpty() && Files.isExecutable(Path.of(dir, program))) {
                return true;
            }
        }
        return false;
    }

    private static int exitCode(List<String> command) {
        try {
            Process p = new ProcessBuilder(new ArrayList<>(command)).redirectErrorStream(true).start();
            p.getInputStream().transferTo(java.io.OutputStream.nullOutputStream());
            if (!p.waitFor(120, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return -1;
            }
            return p.exitValue();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }
}
