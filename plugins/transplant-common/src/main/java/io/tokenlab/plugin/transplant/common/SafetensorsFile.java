package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Embedding tables as safetensors (https://github.com/huggingface/safetensors, "Format"): an 8-byte
 * little-endian header size N, N bytes of UTF-8 JSON naming each tensor's {@code dtype}, {@code shape}
 * and {@code data_offsets} relative to the byte after the header, then the little-endian data. The table
 * is the tensor {@code embeddings} (or the only tensor); its vocabulary is the JSON list stored as a string
 * under {@code __metadata__."tokenlab.vocabulary"}, which is what the runtime reads and writes on
 * embeddings ports.
 *
 * <p>Reading is strict, as the reference loader is: the header must be an object, offsets must be in
 * order, cover the data exactly and match shape and dtype, so a corrupt or truncated file is an error
 * naming what is wrong rather than a table of garbage.
 */
public final class SafetensorsFile {
    public static final String VOCABULARY_KEY = "tokenlab.vocabulary";
    public static final String TENSOR = "embeddings";
    /** The reference implementation refuses headers above 100 MB. */
    private static final long MAX_HEADER = 100L << 20;

    /** The float types a table can be stored as. */
    public enum DType {
        F32(4), F16(2), BF16(2);

        private final int width;

        DType(int width) {
            this.width = width;
        }

        public int width() {
            return width;
        }
    }

    /** One tensor of a parsed file. */
    public record Tensor(String name, DType dtype, long[] shape, FloatMatrix values) {
    }

    /** A parsed file: tensors in header order and the string metadata. */
    public record Contents(Map<String, Tensor> tensors, Map<String, String> metadata) {
    }

    private SafetensorsFile() {
    }

    public static Contents read(byte[] bytes, String name) throws TableFormatException {
        if (bytes.length < 8) {
            throw new TableFormatException(name + ": " + bytes.length + " bytes is too short for safetensors "
                    + "(8-byte header size, JSON header, data)");
        }
        long headerSize = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        if (headerSize < 2 || headerSize > MAX_HEADER || headerSize > bytes.length - 8L) {
            throw new TableFormatException(name + ": header size " + headerSize + " does not fit a file of "
                    + bytes.length + " bytes; truncated, or not a safetensors file");
        }
        String header;
        try {
            header = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 8, (int) headerSize)).toString();
        } catch (CharacterCodingException e) {
            throw new TableFormatException(name + ": the safetensors header is not valid UTF-8");
        }
        Object parsed;
        try {
            parsed = Json.parse(header.stripTrailing(), name + " (safetensors header)");
        } catch (IOException e) {
            throw new TableFormatException(e.getMessage());
        }
        if (!(parsed instanceof Map)) {
            throw new TableFormatException(name + ": the safetensors header is not a JSON object");
        }
        int dataStart = 8 + (int) headerSize;
        long dataLength = bytes.length - (long) dataStart;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        List<long[]> ranges = new ArrayList<>();
        for (Map.Entry<String, Object> e : asMap(parsed).entrySet()) {
            if (e.getKey().equals("__metadata__")) {
                if (!(e.getValue() instanceof Map)) {
                    throw new TableFormatException(name + ": __metadata__ is not an object of strings");
                }
                for (Map.Entry<String, Object> m : asMap(e.getValue()).entrySet()) {
                    if (!(m.getValue() instanceof String)) {
                        throw new TableFormatException(name + ": metadata value '" + m.getKey()
                                + "' is not a string; safetensors metadata values are strings");
                    }
                    metadata.put(m.getKey(), (String) m.getValue());
                }
                continue;
            }
            Tensor t = tensor(e.getKey(), e.getValue(), bytes, dataStart, dataLength, name, ranges);
            tensors.put(t.name(), t);
        }
        ranges.sort((a, b) -> Long.compare(a[0], b[0]));
        long covered = 0;
        for (long[] r : ranges) {
            if (r[0] != covered) {
                throw new TableFormatException(name + ": tensor data " + (r[0] > covered ? "has a hole" : "overlaps")
                        + " at byte " + Math.min(r[0], covered) + " of the data section");
            }
            covered = r[1];
        }
        if (covered != dataLength) {
            throw new TableFormatException(name + ": the tensors cover " + covered + " bytes but the data section has "
                    + dataLength + "; the file is truncated or has trailing bytes");
        }
        return new Contents(tensors, metadata);
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> asMap(Object o) {
        return (Map<String, Object>) o;
    }

    private static Tensor tensor(String key, Object spec, byte[] bytes, int dataStart, long dataLength, String name,
                                 List<long[]> ranges) throws TableFormatException {
        if (!(spec instanceof Map)) {
            throw new TableFormatException(name + ": tensor '" + key + "' is not described by an object");
        }
        Map<String, Object> m = asMap(spec);
        Object dtypeName = m.get("dtype");
        DType dtype;
        try {
            dtype = DType.valueOf(String.valueOf(dtypeName).toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new TableFormatException(name + ": tensor '" + key + "' has dtype " + dtypeName
                    + "; accepted: F32, F16, BF16");
        }
        if (!(m.get("shape") instanceof List) || !(m.get("data_offsets") instanceof List)) {
            throw new TableFormatException(name + ": tensor '" + key + "' lacks shape or data_offsets");
        }
        List<?> shapeList = (List<?>) m.get("shape");
        List<?> offsets = (List<?>) m.get("data_offsets");
        long[] shape = new long[shapeList.size()];
        long count = 1;
        for (int i = 0; i < shape.length; i++) {
            if (!(shapeList.get(i) instanceof Long) || (Long) shapeList.get(i) < 0) {
                throw new TableFormatException(name + ": tensor '" + key + "' has shape " + shapeList
                        + "; dimensions are non-negative integers");
            }
            shape[i] = (Long) shapeList.get(i);
            count = Math.multiplyExact(count, shape[i]);
        }
        if (offsets.size() != 2 || !(offsets.get(0) instanceof Long) || !(offsets.get(1) instanceof Long)) {
            throw new TableFormatException(name + ": tensor '" + key + "' has data_offsets " + offsets
                    + "; expected [begin, end]");
        }
        long begin = (Long) offsets.get(0);
        long end = (Long) offsets.get(1);
        if (begin < 0 || end < begin || end > dataLength) {
            throw new TableFormatException(name + ": tensor '" + key + "' has data offsets " + begin + ".." + end
                    + " outside the " + dataLength + " bytes of data; the file is truncated or corrupt");
        }
        if (end - begin != count * dtype.width()) {
            throw new TableFormatException(name + ": tensor '" + key + "' of shape " + java.util.Arrays.toString(shape)
                    + " and dtype " + dtype + " needs " + count * dtype.width() + " bytes, its offsets span "
                    + (end - begin));
        }
        if (shape.length < 1 || shape.length > 2) {
            throw new TableFormatException(name + ": tensor '" + key + "' has " + shape.length
                    + " dimensions; a table is 2-D (rows x dimension) or 1-D (one row)");
        }
        ranges.add(new long[] {begin, end});
        int rows = shape.length == 2 ? Math.toIntExact(shape[0]) : 1;
        int cols = Math.toIntExact(shape[shape.length - 1]);
        ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) begin, (int) (end - begin)).slice()
                .order(ByteOrder.LITTLE_ENDIAN);
        float[] values = new float[Math.multiplyExact(rows, cols)];
        switch (dtype) {
            case F32:
                data.asFloatBuffer().get(values);
                break;
            case F16:
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.f16ToFloat(data.getShort(i * 2));
                }
                break;
            default:
                for (int i = 0; i < values.length; i++) {
                    values[i] = HalfFloats.bf16ToFloat(data.getShort(i * 2));
                }
        }
        return new Tensor(key, dtype, shape, new FloatMatrix(rows, cols, values));
    }

    /**
     * The table in a file: tensor {@code embeddings} or the only tensor, bound to the vocabulary in the
     * metadata, else to {@code fallbackVocabulary} (may be null: then rows are named by their index).
     */
    public static EmbeddingTable readTable(byte[] bytes, String name, List<String> fallbackVocabulary)
            throws TableFormatException {
        Contents c = read(bytes, name);
        Tensor t = c.tensors().get(TENSOR);
        if (t == null) {
            if (c.tensors().size() != 1) {
                throw new TableFormatException(name + ": no tensor '" + TENSOR + "' and " + c.tensors().size()
                        + " tensors " + c.tensors().keySet() + "; expected '" + TENSOR + "' or a single tensor");
            }
            t = c.tensors().values().iterator().next();
        }
        List<String> vocabulary;
        String stored = c.metadata().get(VOCABULARY_KEY);
        if (stored != null) {
            vocabulary = parseVocabulary(stored, name);
        } else if (fallbackVocabulary != null) {
            vocabulary = fallbackVocabulary;
        } else {
            vocabulary = new ArrayList<>();
            for (int i = 0; i < t.values().rows(); i++) {
                vocabulary.add(Integer.toString(i));
            }
        }
        return Tables.bind(vocabulary, t.values(), name);
    }

    static List<String> parseVocabulary(String json, String name) throws TableFormatException {
        Object v;
        try {
            v = Json.parse(json, name + " (metadata " + VOCABULARY_KEY + ")");
        } catch (IOException e) {
            throw new TableFormatException(e.getMessage());
        }
        if (!(v instanceof List)) {
            throw new TableFormatException(name + ": metadata " + VOCABULARY_KEY + " is not a JSON list of strings");
        }
        List<String> out = new ArrayList<>();
        for (Object o : (List<?>) v) {
            if (!(o instanceof String)) {
                throw new TableFormatException(name + ": metadata " + VOCABULARY_KEY + " holds " + o
                        + ", not a string");
            }
            out.add((String) o);
        }
        return out;
    }

    /** The table as tensor {@code embeddings} of the given dtype, vocabulary in the metadata. */
    public static byte[] write(EmbeddingTable table, DType dtype) {
        FloatMatrix m = table.vectors();
        long dataBytes = (long) m.data().length * dtype.width();
        String header = "{\"__metadata__\":{\"format\":\"pt\",\"" + VOCABULARY_KEY + "\":"
                + Json.quote(Json.stringArray(table.tokens())) + "},\"" + TENSOR + "\":{\"dtype\":\"" + dtype
                + "\",\"shape\":[" + m.rows() + "," + m.cols() + "],\"data_offsets\":[0," + dataBytes + "]}}";
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8; // data 8-byte aligned, padded with spaces as the reference writer does
        ByteBuffer out = ByteBuffer.allocate(Math.toIntExact(8 + padded + dataBytes)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        float[] d = m.data();
        switch (dtype) {
            case F32:
                out.asFloatBuffer().put(d);
                break;
            case F16:
                for (float v : d) {
                    out.putShort(HalfFloats.floatToF16(v));
                }
                break;
            default:
                for (float v : d) {
                    out.putShort(HalfFloats.floatToBf16(v));
                }
        }
        return out.array();
    }
}
