package io.tokenlab.runtime.io;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.tokenizer.EscapedBytes;

import javax.imageio.ImageIO;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

/**
 * Reads the pipeline input bound by {@code --input} and writes the output bound by {@code --output},
 * in the file format of the port type (see {@link PortType#fileFormat()}). Where the bytes go is
 * {@link OutputTarget}'s business.
 */
public final class PortFiles {
    private PortFiles() {
    }

    /** Reads a port value; text that is not UTF-8 is replaced with a warning on standard error. */
    public static Object read(PortType type, InputStream in, String name) throws IOException {
        return read(type, in.readAllBytes(), name, TextDecoding.REPLACE, System.err::println);
    }

    /**
     * Reads a port value from the bytes of a file.
     *
     * @param decoding how text that is not UTF-8 is read (text ports only)
     * @param warn     receives warnings, such as replaced bytes
     */
    public static Object read(PortType type, byte[] bytes, String name, TextDecoding decoding, Consumer<String> warn)
            throws IOException {
        switch (type) {
            case TEXT: {
                List<String> fast = decoding == TextDecoding.ESCAPE ? null : utf8Lines(bytes);
                return fast != null ? fast : lines(decoding.decode(bytes, name, warn));
            }
            case TOKEN_IDS:
            case IMAGE_TOKENS:
                return ids(new String(bytes, StandardCharsets.UTF_8), name);
            case INDICES:
                List<int[]> rows = ids(new String(bytes, StandardCharsets.UTF_8), name);
                return rows.stream().flatMapToInt(java.util.Arrays::stream).toArray();
            case IMAGE:
                return Images.read(bytes, name);
            case TOKEN_SET: {
                if (Npy.looksLikeNpy(bytes)) {
                    return TokenSet.of(Npy.read(bytes, name));
                }
                Safetensors st = Safetensors.read(bytes, name);
                if (st.has("features") && st.dimensions("features") != 2) {
                    throw new IOException(name + ": tensor 'features' has " + st.dimensions("features")
                            + " dimension(s); accepted: a 2-D tensor N x D (one row per token)");
                }
                FloatMatrix features = st.tensor("features", name);
                float[] scores = st.has("scores") ? st.tensor("scores", name).data() : null;
                if (scores != null && scores.length != features.rows()) {
                    throw new IOException(name + ": tensor 'scores' has " + scores.length + " values for "
                            + features.rows() + " rows of 'features'; expected one score per token");
                }
                return new TokenSet(features, scores, 0, 0, null, null, null);
            }
            case EMBEDDINGS:
                return Safetensors.read(bytes, name).embeddingTable(name);
            default:
                throw new IOException("no reader for port type " + type.portName());
        }
    }

    /**
     * Splits text into lines at {@code \n}; a {@code \r} before it is part of the line break, not of
     * the line. A final line break does not start another, empty line.
     */
    public static List<String> lines(String text) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < text.length(); i++) {
            if (text.charAt(i) == '\n') {
                int end = i > start && text.charAt(i - 1) == '\r' ? i - 1 : i;
                out.add(text.substring(start, end));
                start = i + 1;
            }
        }
        if (start < text.length()) {
            out.add(text.substring(start));
        }
        return out;
    }

    /**
     * The lines of UTF-8 bytes as {@link #lines(String)} gives them, decoded line by line (each line
     * can stay a compact Latin-1 string, and the JDK's UTF-8 constructor is much faster than a
     * decoder over the whole text). Null when a line holds U+FFFD, which is what invalid bytes become:
     * the caller then goes through {@link TextDecoding}, which reports them.
     */
    static List<String> utf8Lines(byte[] bytes) {
        List<String> out = new ArrayList<>();
        int start = 0;
        for (int i = 0; i < bytes.length; i++) {
            if (bytes[i] == '\n') {
                int end = i > start && bytes[i - 1] == '\r' ? i - 1 : i;
                if (!addLine(out, bytes, start, end)) {
                    return null;
                }
                start = i + 1;
            }
        }
        if (start < bytes.length && !addLine(out, bytes, start, bytes.length)) {
            return null;
        }
        return out;
    }

    private static boolean addLine(List<String> out, byte[] bytes, int start, int end) {
        String line = new String(bytes, start, end - start, StandardCharsets.UTF_8);
        out.add(line);
        return line.indexOf('\uFFFD') < 0;
    }

    private static List<int[]> ids(String text, String name) throws IOException {
        List<int[]> out = new ArrayList<>();
        List<String> lines = lines(text);
        for (int ln = 0; ln < lines.size(); ln++) {
            String line = lines.get(ln).trim();
            if (line.isEmpty()) {
                out.add(new int[0]);
                continue;
            }
            String[] parts = line.split("\\s+");
            int[] row = new int[parts.length];
            for (int i = 0; i < parts.length; i++) {
                try {
                    row[i] = Integer.parseInt(parts[i]);
                } catch (NumberFormatException e) {
                    throw new IOException(name + ":" + (ln + 1) + ": '" + parts[i]
                            + "' is not a token id; expected space-separated integers");
                }
            }
            out.add(row);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    public static byte[] encode(PortType type, Object value) throws IOException {
        switch (type) {
            case TEXT: {
                StringBuilder sb = new StringBuilder();
                for (String line : (List<String>) value) {
                    sb.append(line).append('\n');
                }
                return EscapedBytes.encode(sb); // bytes a raw-bytes stage kept leave as they came in
            }
            case TOKEN_IDS:
            case IMAGE_TOKENS:
                return IdsText.encode((List<int[]>) value);
            case INDICES: {
                StringBuilder sb = new StringBuilder();
                for (int i : (int[]) value) {
                    sb.append(i).append('\n');
                }
                return sb.toString().getBytes(StandardCharsets.US_ASCII);
            }
            case IMAGE: {
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ImageIO.write(Images.toBuffered((FloatImage) value), "png", out);
                return out.toByteArray();
            }
            case EMBEDDINGS:
                return Safetensors.write((io.tokenlab.api.transplant.EmbeddingTable) value);
            default:
                throw new IOException("no writer for port type " + type.portName());
        }
    }

    /** Writes next to the target and renames over it: the target is either old or complete (see {@link OutputTarget}). */
    public static void writeAtomically(Path target, byte[] bytes) throws IOException {
        OutputTarget.write(target, bytes);
    }
}
