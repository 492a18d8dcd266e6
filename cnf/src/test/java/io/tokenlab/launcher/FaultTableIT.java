package io.tokenlab.launcher;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import java.util.zip.CRC32;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The fault-injection table ({@code fault-table.tsv}): each row is a bad input or a fault, run as a
 * user runs it (the {@code tokenlab} script over the exported launcher, with every plugin of this
 * build in {@code bundles/}), with the exit code and the message it must give, and what must hold
 * on disk afterwards (nothing lost, nothing half-written, no litter). A row that does not end within
 * {@link #CASE_SECONDS} fails as a hang.
 */
class FaultTableIT {
    private static final long CASE_SECONDS = 120;
    private static final Path ROOT = EmbeddedRuntime.ROOT;
    private static Path work;
    private static Path fixtures;
    private static ExecutorService pool;

    record Case(int line, String name, int exit, String pattern, String command, String after) {
    }

    record Outcome(int exit, String output, boolean afterHolds, boolean hung, double seconds) {
    }

    @BeforeAll
    static void fixtures() throws IOException {
        work = Files.createTempDirectory("tokenlab-faults");
        fixtures = Files.createDirectories(work.resolve("fixtures"));
        Files.writeString(fixtures.resolve("hello.txt"), "hello\n");
        StringBuilder big = new StringBuilder();
        while (big.length() < 1 << 20) {
            big.append("a line of text that the byte tokenizer turns into many ids\n");
        }
        Files.writeString(fixtures.resolve("big.txt"), big);
        byte[] valid = npy("<f4", "(24, 16)", 24 * 16 * 4);
        Files.write(fixtures.resolve("valid.npy"), valid);
        Files.write(fixtures.resolve("truncated.npy"), Arrays.copyOf(valid, valid.length - 100));
        Files.write(fixtures.resolve("huge-shape.npy"), npy("<f4", "(2000000000, 2000000000)", 64));
        Files.write(fixtures.resolve("negative-shape.npy"), npy("<f4", "(-5, 768)", 64));
        Files.write(fixtures.resolve("complex.npy"), npy("<c8", "(4, 4)", 4 * 4 * 8));
        Files.write(fixtures.resolve("one-d.npy"), npy("<f4", "(16,)", 16 * 4));
        Files.write(fixtures.resolve("one-row.npy"), npy("<f4", "(1, 16)", 16 * 4));
        byte[] header = "{\"features\": {\"dtype\": \"F32\", \"shape\": [2, 2], \"data_offsets\": [0, 16]".getBytes(
                StandardCharsets.UTF_8);
        Files.write(fixtures.resolve("bad.safetensors"), ByteBuffer.allocate(8 + header.length + 16)
                .order(ByteOrder.LITTLE_ENDIAN).putLong(header.length).put(header).array());
        Files.write(fixtures.resolve("one-d.safetensors"), safetensors(
                "{\"features\": {\"dtype\": \"F32\", \"shape\": [8], \"data_offsets\": [0, 32]}}", 32));
        Files.write(fixtures.resolve("scores-mismatch.safetensors"), safetensors(
                "{\"features\": {\"dtype\": \"F32\", \"shape\": [12, 4], \"data_offsets\": [0, 192]}, "
                        + "\"scores\": {\"dtype\": \"F32\", \"shape\": [10], \"data_offsets\": [192, 232]}}", 232));
        Files.write(fixtures.resolve("corrupt.png"), concat(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'},
                "this is not a PNG stream".getBytes(StandardCharsets.US_ASCII)));
        Files.write(fixtures.resolve("bomb.png"), pngBomb(20000, 20000));
        BufferedImage photo = new BufferedImage(256, 256, BufferedImage.TYPE_INT_RGB);
        for (int y = 0; y < 256; y++) {
            for (int x = 0; x < 256; x++) {
                photo.setRGB(x, y, (x * 7 ^ y * 13) & 0xffffff);
            }
        }
        ByteArrayOutputStream jpeg = new ByteArrayOutputStream();
        ImageIO.write(photo, "jpeg", jpeg);
        Files.write(fixtures.resolve("truncated.jpg"), Arrays.copyOf(jpeg.toByteArray(), jpeg.size() * 6 / 10));
        pool = Executors.newFixedThreadPool(2);
    }

    @AfterAll
    static void stop() {
        pool.shutdownNow();
    }

    @TestFactory
    Stream<DynamicTest> everyRowGivesItsExitCodeAndMessage() throws IOException {
        List<Case> cases = read(Path.of("src/test/resources/fault-table.tsv"));
        assertThat(cases).as("the table has at least 60 cases").hasSizeGreaterThanOrEqualTo(60);
        List<Future<Outcome>> outcomes = new ArrayList<>();
        for (Case c : cases) {
            outcomes.add(pool.submit(() -> run(c)));
        }
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < cases.size(); i++) {
            Case c = cases.get(i);
            Future<Outcome> f = outcomes.get(i);
            tests.add(DynamicTest.dynamicTest(c.line() + ": " + c.name(), () -> {
                Outcome o = f.get();
                String shown = "fault-table.tsv:" + c.line() + " '" + c.name() + "' ran " + String.format("%.1f", o.seconds())
                        + " s, output:\n" + o.output();
                assertThat(o.hung()).as("hung: " + shown).isFalse();
                assertThat(o.exit()).as("exit code: " + shown).isEqualTo(c.exit());
                if (!c.pattern().equals("-")) {
                    assertThat(Pattern.compile(c.pattern(), Pattern.MULTILINE).matcher(o.output()).find())
                            .as("output matches /" + c.pattern() + "/: " + shown).isTrue();
                }
                assertThat(o.output()).as("no Java stack trace reaches the user: " + shown)
                        .doesNotContainPattern("\n\\s+at [a-zA-Z.$]+\\(");
                assertThat(o.afterHolds()).as("afterwards `" + c.after() + "`: " + shown).isTrue();
            }));
        }
        System.out.println("fault table: " + cases.size() + " cases");
        return tests.stream();
    }

    static List<Case> read(Path table) throws IOException {
        List<Case> out = new ArrayList<>();
        List<String> lines = Files.readAllLines(table, StandardCharsets.UTF_8);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.isBlank() || line.startsWith("#")) {
                continue;
            }
            String[] f = line.split("\t", -1);
            if (f.length != 5) {
                throw new IllegalStateException("fault-table.tsv:" + (i + 1) + ": expected 5 tab-separated columns, got "
                        + f.length);
            }
            out.add(new Case(i + 1, f[0], Integer.parseInt(f[1]), f[2], f[3], f[4]));
        }
        return out;
    }

    private static Outcome run(Case c) throws Exception {
        Path dir = Files.createTempDirectory(work, "case" + c.line() + "-");
        long t0 = System.nanoTime();
        Process p = bash(dir, c.command());
        boolean done = p.waitFor(CASE_SECONDS, TimeUnit.SECONDS);
        if (!done) {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        double seconds = (System.nanoTime() - t0) / 1e9;
        boolean after = true;
        if (done && !c.after().equals("-")) {
            Process check = bash(dir, c.after());
            after = check.waitFor(30, TimeUnit.SECONDS) && check.exitValue() == 0;
            check.destroyForcibly();
        }
        return new Outcome(done ? p.exitValue() : -1, output, after, !done, seconds);
    }

    private static Process bash(Path dir, String script) throws IOException {
        // A build started in the background of a shell without job control inherits SIGINT and SIGQUIT
        // ignored, and an ignored signal stays ignored in every child (a JVM cannot even handle it): the
        // rows run with the default dispositions a user's shell gives, so the signal rows test tokenlab.
        ProcessBuilder pb = new ProcessBuilder("env", "--default-signal=HUP,INT,QUIT,TERM,PIPE", "bash", "-c", script).directory(dir.toFile()).redirectErrorStream(true);
        pb.environment().put("T", ROOT.resolve("tokenlab").toString());
        pb.environment().put("P", ROOT.resolve("pipelines").toString());
        pb.environment().put("ROOT", ROOT.toString());
        pb.environment().put("FX", fixtures.toString());
        pb.environment().put("TMPDIR", dir.toString());
        pb.environment().remove("TOKENLAB_JAVA_OPTS");
        return pb.start();
    }

    private static byte[] npy(String descr, String shape, int dataBytes) {
        String dict = "{'descr': '" + descr + "', 'fortran_order': False, 'shape': " + shape + ", }";
        int total = 10 + dict.length() + 1;
        int pad = (64 - total % 64) % 64;
        String header = dict + " ".repeat(pad) + "\n";
        ByteBuffer b = ByteBuffer.allocate(10 + header.length() + dataBytes).order(ByteOrder.LITTLE_ENDIAN);
        b.put(new byte[] {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y', 1, 0});
        b.putShort((short) header.length());
        b.put(header.getBytes(StandardCharsets.US_ASCII));
        for (int i = 0; i < dataBytes / 4; i++) {
            b.putFloat((float) Math.sin(i * 0.37));
        }
        return b.array();
    }

    private static byte[] safetensors(String header, int dataBytes) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + dataBytes).order(ByteOrder.LITTLE_ENDIAN).putLong(h.length).put(h);
        for (int i = 0; i < dataBytes / 4; i++) {
            b.putFloat((float) Math.cos(i * 0.41));
        }
        return b.array();
    }

    /** A real PNG whose pixels are all zero: about a megabyte on disk, gigabytes once decoded. */
    private static byte[] pngBomb(int width, int height) throws IOException {
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        Deflater deflater = new Deflater(Deflater.BEST_COMPRESSION);
        try (OutputStream z = new DeflaterOutputStream(idat, deflater, 1 << 16)) {
            byte[] row = new byte[1 + width * 3];
            for (int y = 0; y < height; y++) {
                z.write(row);
            }
        }
        ByteArrayOutputStream png = new ByteArrayOutputStream();
        png.write(new byte[] {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'});
        ByteBuffer ihdr = ByteBuffer.allocate(13).putInt(width).putInt(height).put((byte) 8).put((byte) 2)
                .put((byte) 0).put((byte) 0).put((byte) 0);
        chunk(png, "IHDR", ihdr.array());
        chunk(png, "IDAT", idat.toByteArray());
        chunk(png, "IEND", new byte[0]);
        return png.toByteArray();
    }

    private static void chunk(ByteArrayOutputStream png, String type, byte[] data) throws IOException {
        DataOutputStream out = new DataOutputStream(png);
        out.writeInt(data.length);
        byte[] t = type.getBytes(StandardCharsets.US_ASCII);
        out.write(t);
        out.write(data);
        CRC32 crc = new CRC32();
        crc.update(t);
        crc.update(data);
        out.writeInt((int) crc.getValue());
    }

    private static byte[] concat(byte[] a, byte[] b) {
        byte[] out = Arrays.copyOf(a, a.length + b.length);
        System.arraycopy(b, 0, out, a.length, b.length);
        return out;
    }
}
