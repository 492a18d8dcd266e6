package io.tokenlab.plugin.tokenizer.bpe;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.MappedByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.HexFormat;
import java.util.logging.Logger;

/**
 * The built tables of a tiktoken vocabulary kept in a binary file, so that a new process maps them
 * instead of decoding 100-200k base64 lines and rebuilding its hash tables (most of a short run).
 * A cache file is named by a checksum of the rank file's bytes (see {@link #checksum}) and the
 * encoding, and holds that checksum again: an edited rank file gets a new entry, and a cache file
 * that does not read back whole (another format, truncated) is rebuilt. Files are written under a temporary name and renamed, so concurrent
 * processes only ever see whole files. The folder is {@code tokenlab.cache.dir}, else
 * {@code data/.cache/bpe} under {@code tokenlab.home}; {@code -Dtokenlab.bpe.cache=false} turns it off.
 */
final class TiktokenCache {
    private static final Logger LOG = Logger.getLogger(TiktokenCache.class.getName());
    private static final byte[] MAGIC = "tokenlab-tiktoken-tables-2\n".getBytes(StandardCharsets.US_ASCII);

    private TiktokenCache() {
    }

    static BpeVocabulary load(Path file, TiktokenEncoding encoding) {
        return load(file, encoding, folder());
    }

    /** Loads through the cache in {@code dir} (null: no cache). */
    static BpeVocabulary load(Path file, TiktokenEncoding encoding, Path dir) {
        byte[] source;
        try {
            source = dir == null ? null : Files.readAllBytes(file);
        } catch (IOException e) {
            source = null; // TiktokenFile reports the file
        }
        if (source == null) {
            return TiktokenFile.load(file, encoding);
        }
        byte[] hash = checksum(source);
        Path cached = dir.resolve(HexFormat.of().formatHex(hash) + "-" + encoding.encodingName + ".tables");
        BpeVocabulary v = read(cached, hash, file, encoding);
        if (v != null) {
            return v;
        }
        v = TiktokenFile.load(file, encoding);
        write(cached, hash, v);
        return v;
    }

    private static Path folder() {
        if (!Boolean.parseBoolean(System.getProperty("tokenlab.bpe.cache", "true"))) {
            return null;
        }
        String dir = System.getProperty("tokenlab.cache.dir");
        if (dir != null) {
            return Path.of(dir).resolve("bpe");
        }
        String home = System.getProperty("tokenlab.home");
        return home == null ? null : Path.of(home).resolve("data").resolve(".cache").resolve("bpe");
    }

    private static BpeVocabulary read(Path cached, byte[] hash, Path file, TiktokenEncoding encoding) {
        if (!Files.isRegularFile(cached)) {
            return null;
        }
        try (FileChannel ch = FileChannel.open(cached, StandardOpenOption.READ)) {
            MappedByteBuffer map = ch.map(FileChannel.MapMode.READ_ONLY, 0, ch.size());
            BinaryArrays.Reader in = new BinaryArrays.Reader(map);
            if (!java.util.Arrays.equals(in.bytes(), MAGIC) || !java.util.Arrays.equals(in.bytes(), hash)) {
                return null;
            }
            TokenBytesTable table = TokenBytesTable.readFrom(in);
            PairMergeTable merges = PairMergeTable.readFrom(in);
            int[] byteIds = in.ints();
            TokenBytesTable decode = TokenBytesTable.readFrom(in);
            int size = in.ints()[0];
            if (byteIds.length != 256 || !in.atEnd()) {
                return null;
            }
            return RankedVocabularies.assemble(file.toString(), table, merges, byteIds, decode, size,
                    encoding.specialTokens, encoding.regex);
        } catch (IOException | RuntimeException e) {
            LOG.fine(() -> "rebuilding " + cached + ": " + e);
            return null;
        }
    }

    private static void write(Path cached, byte[] hash, BpeVocabulary v) {
        BinaryArrays.Writer out = new BinaryArrays.Writer().bytes(MAGIC).bytes(hash);
        v.model().pieceTokens.writeTo(out);
        v.model().merges.writeTo(out);
        out.ints(v.model().byteIds);
        v.decodeBytes().writeTo(out);
        out.ints(new int[] {v.vocabularySize()});
        Path tmp = null;
        try {
            Files.createDirectories(cached.getParent());
            tmp = Files.createTempFile(cached.getParent(), cached.getFileName().toString(), ".tmp");
            ByteBuffer buf = ByteBuffer.allocate(Math.toIntExact(out.size())).order(ByteOrder.LITTLE_ENDIAN);
            out.writeTo(buf);
            buf.flip();
            try (FileChannel ch = FileChannel.open(tmp, StandardOpenOption.WRITE)) {
                while (buf.hasRemaining()) {
                    ch.write(buf);
                }
            }
            try {
                Files.move(tmp, cached, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, cached, StandardCopyOption.REPLACE_EXISTING);
            }
        } catch (IOException | RuntimeException e) {
            // a read-only or full disk only costs the next run the rebuild
            LOG.fine(() -> "cannot cache " + cached + ": " + e);
            if (tmp != null) {
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // nothing more to do
                }
            }
        }
    }

    /**
     * The rank file's length, CRC-32 and Adler-32 (16 bytes): enough to tell an edited or replaced
     * file from the one the tables were built from, and computed by the JDK's native zlib code, where
     * SHA-256 in a JVM that has just started (interpreted, before its intrinsics) took 100 ms a file.
     */
    static byte[] checksum(byte[] bytes) {
        java.util.zip.CRC32 crc = new java.util.zip.CRC32();
        crc.update(bytes);
        java.util.zip.Adler32 adler = new java.util.zip.Adler32();
        adler.update(bytes);
        return ByteBuffer.allocate(16).putLong(bytes.length).putInt((int) crc.getValue()).putInt((int) adler.getValue())
                .array();
    }
}
