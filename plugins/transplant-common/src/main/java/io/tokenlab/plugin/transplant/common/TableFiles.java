package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.runtime.io.Npy;
import io.tokenlab.runtime.io.Safetensors;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Locale;

/**
 * Embedding tables in files, by format: {@code .safetensors} (vocabulary inside), {@code .npy} (bound to
 * a vocabulary the caller gives), {@code .txt}/{@code .vec} (GloVe or word2vec text). Writing goes to a
 * temporary file next to the target that is renamed over it, so a failed write never leaves half a table.
 *
 * <p>The binary formats are the runtime's ({@link Safetensors}, {@link Npy}), the readers and writers of its
 * embeddings ports, so a table a technique writes is one the runtime reads; their refusals arrive here as
 * {@link TableFormatException}s with the runtime's message.
 */
public final class TableFiles {
    private TableFiles() {
    }

    /**
     * Reads a table. {@code vocabulary} binds a {@code .npy} file (required there) and a safetensors file
     * without a stored vocabulary; it is ignored for text files, which name their words.
     */
    public static EmbeddingTable read(Path file, List<String> vocabulary) throws IOException {
        byte[] bytes;
        try {
            bytes = Files.readAllBytes(file);
        } catch (NoSuchFileException e) {
            throw new NoSuchFileException(file + ": no such embedding table");
        }
        String name = file.toString();
        if (Npy.looksLikeNpy(bytes)) {
            if (vocabulary == null) {
                throw new TableFormatException(name + ": a .npy table has no vocabulary; give the vocabulary it is bound to");
            }
            return Tables.bind(vocabulary, npy(bytes, name), name);
        }
        String ext = extension(file);
        if (ext.equals("txt") || ext.equals("vec") || ext.equals("glove")) {
            return TextVectorsFile.read(new String(bytes, StandardCharsets.UTF_8), name);
        }
        if (ext.equals("npy")) {
            return Tables.bind(vocabulary == null ? List.of() : vocabulary, npy(bytes, name), name);
        }
        EmbeddingTable table;
        try {
            table = Safetensors.read(bytes, name).embeddingTable(name, vocabulary);
        } catch (IOException e) {
            throw new TableFormatException(e.getMessage(), e);
        }
        Tables.requireFinite(table.vectors(), table.tokens(), name);
        return table;
    }

    private static FloatMatrix npy(byte[] bytes, String name) throws TableFormatException {
        try {
            return Npy.read(bytes, name);
        } catch (IOException e) {
            throw new TableFormatException(e.getMessage(), e);
        }
    }

    /** Writes by extension: {@code .safetensors} (F32), {@code .npy}, or {@code .txt}/{@code .vec} text. */
    public static void write(Path file, EmbeddingTable table) throws IOException {
        Tables.requireFinite(table.vectors(), table.tokens(), "table for " + file);
        String ext = extension(file);
        byte[] bytes;
        switch (ext) {
            case "npy":
                bytes = Npy.write(table.vectors());
                break;
            case "txt":
            case "glove":
                bytes = TextVectorsFile.write(table, false).getBytes(StandardCharsets.UTF_8);
                break;
            case "vec":
                bytes = TextVectorsFile.write(table, true).getBytes(StandardCharsets.UTF_8);
                break;
            default:
                bytes = Safetensors.write(table, Safetensors.DType.F32);
        }
        writeAtomically(file, bytes);
    }

    /** The target is either untouched or complete: write a temporary sibling, then rename it over the target. */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        Path dir = target.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        Path tmp = Files.createTempFile(dir, "." + target.getFileName(), ".partial");
        try {
            try { // temporary files start private; the table is an ordinary file
                Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
            } catch (UnsupportedOperationException notPosix) {
                // other file systems keep their defaults
            }
            Files.write(tmp, bytes);
            try {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } catch (AtomicMoveNotSupportedException e) {
                Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
            }
        } finally {
            Files.deleteIfExists(tmp);
        }
    }

    private static String extension(Path file) {
        String n = file.getFileName().toString();
        int dot = n.lastIndexOf('.');
        return dot < 0 ? "" : n.substring(dot + 1).toLowerCase(Locale.ROOT);
    }
}
