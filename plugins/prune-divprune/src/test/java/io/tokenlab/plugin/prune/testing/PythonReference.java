package io.tokenlab.plugin.prune.testing;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.testkit.References;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Runs the PyTorch transcriptions in src/test/python with the system interpreter (Debian's
 * python3-torch lives there, not in whatever python3 is first on PATH). When that interpreter or torch is
 * missing, {@link References} decides: a failure under .ci/test, a skip naming the package elsewhere.
 */
public final class PythonReference {
    public static final Path PYTHON = References.PYTHON;

    private PythonReference() {
    }

    /** Skips, or under .ci/test fails, when Debian's python3 lacks torch or numpy. */
    public static void assumeTorch() {
        References.requirePython("python3-torch python3-numpy", "torch", "numpy");
    }

    public static Result script(String name, List<String> args, int timeoutSeconds) {
        List<String> command = new ArrayList<>();
        command.add(PYTHON.toString());
        command.add(Path.of("src", "test", "python", name).toString());
        command.addAll(args);
        Result r = run(command, timeoutSeconds);
        if (r.exitCode != 0) {
            throw new AssertionError(name + " failed (" + r.exitCode + "):\n" + r.output);
        }
        return r;
    }

    /** Writes a float32 little-endian .npy file, the format numpy.load and the runtime read. */
    public static void writeNpy(Path file, FloatMatrix m) throws IOException {
        String header = "{'descr': '<f4', 'fortran_order': False, 'shape': (" + m.rows() + ", " + m.cols() + "), }";
        int unpadded = 10 + header.length() + 1;
        header = header + " ".repeat((64 - unpadded % 64) % 64) + "\n";
        byte[] h = header.getBytes(StandardCharsets.US_ASCII);
        ByteBuffer buf = ByteBuffer.allocate(10 + h.length + 4 * m.data().length).order(ByteOrder.LITTLE_ENDIAN);
        buf.put((byte) 0x93).put("NUMPY".getBytes(StandardCharsets.US_ASCII)).put((byte) 1).put((byte) 0);
        buf.putShort((short) h.length).put(h);
        buf.asFloatBuffer().put(m.data());
        Files.write(file, buf.array());
    }

    /** Reads a float32 little-endian 2-D .npy file (what numpy.save writes for such arrays). */
    public static FloatMatrix readNpy(Path file) throws IOException {
        byte[] bytes = Files.readAllBytes(file);
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        int headerLength = buf.getShort(8) & 0xffff;
        String header = new String(bytes, 10, headerLength, StandardCharsets.US_ASCII);
        if (!header.contains("'<f4'") || header.contains("'fortran_order': True")) {
            throw new IOException(file + ": not a C-ordered float32 array: " + header);
        }
        java.util.regex.Matcher shape = java.util.regex.Pattern.compile("\\((\\d+), (\\d+)\\)").matcher(header);
        if (!shape.find()) {
            throw new IOException(file + ": not a 2-D array: " + header);
        }
        int rows = Integer.parseInt(shape.group(1));
        int cols = Integer.parseInt(shape.group(2));
        float[] data = new float[rows * cols];
        buf.position(10 + headerLength);
        buf.asFloatBuffer().get(data);
        return new FloatMatrix(rows, cols, data);
    }

    /** The value of the line {@code "<key>: value"} the script printed. */
    public static String field(Result r, String key) {
        return r.lines.stream().filter(l -> l.startsWith(key + ": ")).map(l -> l.substring(key.length() + 2))
                .findFirst().orElseThrow(() -> new AssertionError("no '" + key + "' line in:\n" + r.output));
    }

    public static int[] ints(String line) {
        String t = line.trim();
        if (t.isEmpty()) {
            return new int[0];
        }
        String[] parts = t.split("\\s+");
        int[] out = new int[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = Integer.parseInt(parts[i]);
        }
        return out;
    }

    public static final class Result {
        public final int exitCode;
        public final List<String> lines;
        public final String output;

        Result(int exitCode, String output) {
            this.exitCode = exitCode;
            this.output = output;
            this.lines = output.lines().toList();
        }
    }

    private static Result run(List<String> command, int timeoutSeconds) {
        try {
            Process p = new ProcessBuilder(command).redirectErrorStream(true).start();
            byte[] out = p.getInputStream().readAllBytes();
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                p.destroyForcibly();
                return new Result(-1, "timed out after " + timeoutSeconds + " s");
            }
            return new Result(p.exitValue(), new String(out, StandardCharsets.UTF_8));
        } catch (IOException e) {
            return new Result(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Result(-1, e.toString());
        }
    }
}
