package io.tokenlab.plugin.lm.ngram;

import java.io.BufferedInputStream;
import java.io.BufferedOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.CheckedOutputStream;

/**
 * The binary file of an {@link NgramModel}. All numbers are big-endian (Java's DataOutput):
 *
 * <pre>
 * magic            8 bytes  "TLNGRAM1"
 * format version   int      1
 * order            int      N
 * vocabulary size  int      V
 * training tokens  long
 * tokenizer id     UTF      modified UTF-8 with a 2-byte length (DataOutput.writeUTF)
 * then for each level k = 1..N:
 *   discounts      3 floats D1, D2, D3+
 *   contexts       int      C (1 for k = 1: the root; else the node count of level k-1)
 *   nodes          int      M
 *   offsets        C+1 ints children of context c are nodes offsets[c] .. offsets[c+1]-1
 *   tokens         M ints   ascending within each context
 *   probabilities  M floats discounted probability of the token after its context
 *   gammas         C floats back-off mass of each context (1 for a context without children)
 * checksum         long     CRC-32 of every byte above
 * </pre>
 *
 * <p>Node i of level k is context i of level k+1, so the arrays are the whole model: loading is
 * reading them back, with no re-estimation.
 */
public final class NgramModelFile {
    private static final byte[] MAGIC = {'T', 'L', 'N', 'G', 'R', 'A', 'M', '1'};
    private static final int VERSION = 1;
    private static final int CHUNK = 1 << 16;

    private NgramModelFile() {
    }

    /** Writes the model to a temporary file and renames it into place, so readers never see half a model. */
    public static void write(NgramModel model, Path file) throws IOException {
        Path parent = file.toAbsolutePath().getParent();
        Files.createDirectories(parent);
        Path tmp = Files.createTempFile(parent, file.getFileName().toString(), ".partial");
        try {
            try (OutputStream raw = new BufferedOutputStream(Files.newOutputStream(tmp), 1 << 20)) {
                write(model, raw);
            }
            Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    public static void write(NgramModel model, OutputStream raw) throws IOException {
        CheckedOutputStream checked = new CheckedOutputStream(raw, new CRC32());
        DataOutputStream out = new DataOutputStream(checked);
        out.write(MAGIC);
        out.writeInt(VERSION);
        out.writeInt(model.order());
        out.writeInt(model.vocabularySize());
        out.writeLong(model.trainingTokens());
        out.writeUTF(model.tokenizerId());
        for (int k = 1; k <= model.order(); k++) {
            NgramModel.Level level = model.level(k);
            for (float d : level.discounts()) {
                out.writeFloat(d);
            }
            out.writeInt(level.contexts());
            out.writeInt(level.nodes());
            writeInts(out, level.offsets());
            writeInts(out, level.tokens());
            writeFloats(out, level.probabilities());
            writeFloats(out, level.gammas());
        }
        out.flush();
        long crc = checked.getChecksum().getValue();
        new DataOutputStream(raw).writeLong(crc);
        raw.flush();
    }

    public static NgramModel read(Path file) throws IOException {
        try (InputStream in = new BufferedInputStream(Files.newInputStream(file), 1 << 20)) {
            return read(in, file.toString());
        }
    }

    public static NgramModel read(InputStream raw, String name) throws IOException {
        CheckedInputStream checked = new CheckedInputStream(raw, new CRC32());
        DataInputStream in = new DataInputStream(checked);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.readFully(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new IOException(name + " is not a tokenlab n-gram model (bad magic)");
            }
            int version = in.readInt();
            if (version != VERSION) {
                throw new IOException(name + " has format version " + version + "; this reader knows " + VERSION);
            }
            int order = in.readInt();
            int vocabularySize = in.readInt();
            long trainingTokens = in.readLong();
            String tokenizerId = in.readUTF();
            if (order < 1 || order > 64 || vocabularySize < 1) {
                throw new IOException(name + ": implausible order " + order + " or vocabulary " + vocabularySize);
            }
            NgramModel.Level[] levels = new NgramModel.Level[order];
            int expectedContexts = 1;
            for (int k = 1; k <= order; k++) {
                float[] d = {in.readFloat(), in.readFloat(), in.readFloat()};
                int contexts = in.readInt();
                int nodes = in.readInt();
                if (contexts != expectedContexts || nodes < 0) {
                    throw new IOException(name + ": level " + k + " has " + contexts + " contexts, expected "
                            + expectedContexts);
                }
                int[] offsets = readInts(in, contexts + 1);
                int[] tokens = readInts(in, nodes);
                float[] probabilities = readFloats(in, nodes);
                float[] gammas = readFloats(in, contexts);
                if (offsets[0] != 0 || offsets[contexts] != nodes) {
                    throw new IOException(name + ": level " + k + " offsets do not span its " + nodes + " nodes");
                }
                levels[k - 1] = new NgramModel.Level(d, offsets, tokens, probabilities, gammas);
                expectedContexts = nodes;
            }
            long expected = checked.getChecksum().getValue();
            long stored = new DataInputStream(raw).readLong();
            if (stored != expected) {
                throw new IOException(name + " is damaged (checksum mismatch)");
            }
            return new NgramModel(order, vocabularySize, trainingTokens, tokenizerId, levels);
        } catch (EOFException e) {
            throw new IOException(name + " is truncated", e);
        }
    }

    private static void writeInts(DataOutputStream out, int[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * 4);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            buffer.clear();
            buffer.asIntBuffer().put(values, from, n);
            out.write(buffer.array(), 0, n * 4);
        }
    }

    private static void writeFloats(DataOutputStream out, float[] values) throws IOException {
        ByteBuffer buffer = ByteBuffer.allocate(CHUNK * 4);
        for (int from = 0; from < values.length; from += CHUNK) {
            int n = Math.min(CHUNK, values.length - from);
            buffer.clear();
            buffer.asFloatBuffer().put(values, from, n);
            out.write(buffer.array(), 0, n * 4);
        }
    }

    private static int[] readInts(DataInputStream in, int count) throws IOException {
        int[] out = new int[count];
        byte[] bytes = new byte[CHUNK * 4];
        for (int from = 0; from < count; from += CHUNK) {
            int n = Math.min(CHUNK, count - from);
            in.readFully(bytes, 0, n * 4);
            ByteBuffer.wrap(bytes, 0, n * 4).asIntBuffer().get(out, from, n);
        }
        return out;
    }

    private static float[] readFloats(DataInputStream in, int count) throws IOException {
        float[] out = new float[count];
        byte[] bytes = new byte[CHUNK * 4];
        for (int from = 0; from < count; from += CHUNK) {
            int n = Math.min(CHUNK, count - from);
            in.readFully(bytes, 0, n * 4);
            ByteBuffer.wrap(bytes, 0, n * 4).asFloatBuffer().get(out, from, n);
        }
        return out;
    }
}
