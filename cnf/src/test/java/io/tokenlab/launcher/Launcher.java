package io.tokenlab.launcher;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The {@code tokenlab} script at the repository root, run as a user runs it, on a home folder of its
 * own (bundles/, pipelines/): one-shot commands, and {@code start} driven through its stdin.
 */
final class Launcher {
    static final Path SCRIPT = EmbeddedRuntime.ROOT.resolve("tokenlab");

    private Launcher() {
    }

    record Result(int exit, String out, String err) {
    }

    static Path home(Path dir) throws IOException {
        Files.createDirectories(dir.resolve("bundles"));
        Files.createDirectories(dir.resolve("pipelines"));
        return dir;
    }

    private static ProcessBuilder command(Path home, String... args) {
        List<String> cmd = new ArrayList<>();
        cmd.add(SCRIPT.toString());
        cmd.addAll(List.of(args));
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(home.toFile());
        // the script's home is the repository; a later -D wins, so the test's home replaces it
        pb.environment().put("TOKENLAB_JAVA_OPTS", "-Dtokenlab.home=" + home
                + " -Dtokenlab.bundles.poll=100 -Dtokenlab.pipelines.poll=100");
        return pb;
    }

    /** Runs one command to its end, with stdin from {@code stdin} (closed when null). */
    static Result run(Path home, byte[] stdin, String... args) throws Exception {
        Process p = command(home, args).start();
        Pump out = new Pump(p.getInputStream());
        Pump err = new Pump(p.getErrorStream());
        try (OutputStream in = p.getOutputStream()) {
            if (stdin != null) {
                in.write(stdin);
            }
        }
        if (!p.waitFor(120, TimeUnit.SECONDS)) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            throw new AssertionError("tokenlab " + String.join(" ", args) + " did not end in 120 s; stderr:\n" + err.text());
        }
        out.join();
        err.join();
        return new Result(p.exitValue(), out.text(), err.text());
    }

    /** {@code ./tokenlab start}, fed shell commands on its stdin once it says it is ready. */
    static Shell start(Path home) throws Exception {
        return start(home, java.util.Map.of());
    }

    /** @param env extra environment, e.g. a locale */
    static Shell start(Path home, java.util.Map<String, String> env) throws Exception {
        ProcessBuilder pb = command(home, "start");
        pb.environment().putAll(env);
        return new Shell(pb.start());
    }

    static final class Shell implements AutoCloseable {
        private final Process process;
        private final Pump out;
        private final Pump err;
        private final OutputStream in;
        private int commands;

        Shell(Process process) throws Exception {
            this.process = process;
            this.out = new Pump(process.getInputStream());
            this.err = new Pump(process.getErrorStream());
            this.in = process.getOutputStream();
            long deadline = System.currentTimeMillis() + 60_000;
            while (!err.text().contains("tokenlab ready")) {
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new AssertionError("tokenlab start never became ready; stderr:\n" + err.text());
                }
                Thread.sleep(20);
            }
        }

        /** Types one line (UTF-8, as a terminal sends it) and returns what the shell printed for it. */
        String type(String line) throws Exception {
            String marker = "end-of-command-" + (++commands);
            int from = out.text().length();
            in.write((line + "\necho " + marker + "\n").getBytes(StandardCharsets.UTF_8));
            in.flush();
            long deadline = System.currentTimeMillis() + 60_000;
            while (true) {
                String all = out.text();
                int end = all.indexOf(marker + "\n", from);
                if (end >= 0) {
                    String printed = all.substring(from, end);
                    return printed.replace("g! ", "");
                }
                if (System.currentTimeMillis() > deadline || !process.isAlive()) {
                    throw new AssertionError("no answer to '" + line + "'; stdout:\n" + all.substring(from)
                            + "\nstderr:\n" + err.text());
                }
                Thread.sleep(20);
            }
        }

        String stderr() {
            return err.text();
        }

        @Override
        public void close() throws Exception {
            try {
                in.write("exit 0\n".getBytes(StandardCharsets.UTF_8));
                in.close();
            } catch (IOException e) {
                // already gone
            }
            if (!process.waitFor(30, TimeUnit.SECONDS)) {
                process.descendants().forEach(ProcessHandle::destroy);
                process.destroy();
                if (!process.waitFor(10, TimeUnit.SECONDS)) {
                    process.descendants().forEach(ProcessHandle::destroyForcibly);
                    process.destroyForcibly();
                }
            }
        }
    }

    /** Collects a stream on its own thread so the process never blocks on a full pipe. */
    private static final class Pump extends Thread {
        private final InputStream stream;
        private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();

        Pump(InputStream stream) {
            this.stream = stream;
            setDaemon(true);
            start();
        }

        @Override
        public void run() {
            byte[] buf = new byte[8192];
            try {
                for (int n; (n = stream.read(buf)) > 0; ) {
                    synchronized (bytes) {
                        bytes.write(buf, 0, n);
                    }
                }
            } catch (IOException e) {
                // the process ended
            }
        }

        String text() {
            synchronized (bytes) {
                return bytes.toString(StandardCharsets.UTF_8);
            }
        }
    }
}
