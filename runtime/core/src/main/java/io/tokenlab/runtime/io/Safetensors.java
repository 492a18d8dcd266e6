package io.tokenlab.runtime.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.io.IOException;
import java.io.StringWriter;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The safetensors format: an 8-byte little-endian header length, a JSON header naming each tensor's
 * dtype, shape and byte range, then the raw little-endian data. F32, F16 and BF16 tensors are read
 * as float; tables are written as F32 unless a {@link DType} is asked for. An embedding table's vocabulary
 * travels in the header's {@code __metadata__} under {@code tokenlab.vocabulary}, as a JSON list in a
 * string (metadata values must be strings).
 *
 * <p>Reading is strict, as the reference loader is: the tensors' byte ranges must tile the data section
 * exactly, so a truncated file or one with trailing bytes is an error naming what is wrong rather than a
 * table of garbage.
 */
public final class Safetensors {
    public static final String VOCABULARY_KEY = "tokenlab.vocabulary";
    /** The tensor that holds an embedding table. */
    public static final String TABLE = "embeddings";
    private static final JsonFactory JSON = new JsonFactory();

    /** The float types a tensor is written as; a reader accepts all of them. */
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

    private final Map<String, Tensor> tensors;
    private final Map<String, String> metadata;

    private record Tensor(String dtype, long[] shape, long begin, long end, ByteBuffer data) {
    }

    private Safetensors(Map<String, Tensor> tensors, Map<String, String> metadata) {
        this.tensors = tensors;
        this.metadata = metadata;
    }

    public boolean has(String key) {
        return tensors.containsKey(key);
    }

    public Map<String, String> metadata() {
        return metadata;
    }

    /** Reads the header; every problem is an IOException that starts with {@code name}. */
    public static Safetensors read(byte[] bytes, String name) throws IOException {
        if (bytes.length < 8) {
            throw new IOException(name + ": too short for safetensors (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new IOException(name + ": header size " + headerLength + " does not fit a file of "
                    + bytes.length + " bytes; truncated, or not a safetensors file");
        }
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        int dataStart = 8 + (int) headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(header)) {
            new HeaderReader(p, name, bytes, dataStart).read(tensors, metadata);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(name + ": the safetensors header is not valid JSON (line " + e.getLocation().getLineNr()
                    + ", column " + e.getLocation().getColumnNr() + ": " + e.getOriginalMessage() + "); expected "
                    + HeaderReader.FORM, e);
        }
        requireTiled(tensors, bytes.length - (long) dataStart, name);
        return new Safetensors(tensors, metadata);
    }

    /** The tensors' byte ranges, in order, cover the data section without hole, overlap or trailing byte. */
    private static void requireTiled(Map<String, Tensor> tensors, long dataLength, String name) throws IOException {
        List<Tensor> byStart = new ArrayList<>(tensors.values());
        byStart.sort((a, b) -> Long.compare(a.begin, b.begin));
        long covered = 0;
        for (Tensor t : byStart) {
            if (t.begin != covered) {
                throw new IOException(name + ": tensor data " + (t.begin > covered ? "has a hole" : "overlaps")
                        + " at byte " + Math.min(t.begin, covered) + " of the data section");
            }
            covered = t.end;
        }
        if (covered != dataLength) {
            throw new IOException(name + ": the tensors cover " + covered + " bytes but the data section has "
                    + dataLength + "; the file is truncated or has trailing bytes");
        }
    }

    /**
     * The header's JSON, checked as it streams by: each problem names the tensor or metadata key and says
     * what the format expects there.
     */
    private static final class HeaderReader {
        static final String FORM = "{\"<tensor>\": {\"dtype\": \"F32\", \"shape\": [rows, cols], "
                + "\"data_offsets\": [begin, end]}, ..., \"__metadata__\": {\"<key>\": \"<text>\"}}";
        private final JsonParser p;
        private final String name;
        private final byte[] bytes;
        private final int dataStart;

        HeaderReader(JsonParser p, String name, byte[] bytes, int dataStart) {
            this.p = p;
            this.name = name;
            this.bytes = bytes;
            this.dataStart = dataStart;
        }

        private IOException bad(String problem) {
            return new IOException(name + ": safetensors header: " + problem);
        }

        void read(Map<String, Tensor> tensors, Map<String, String> metadata) throws IOException {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_OBJECT) {
                throw bad("the header is " + describe(first) + "; expected a JSON object " + FORM);
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken t = p.nextToken();
                if (key.equals("__metadata__")) {
                    metadata(t, metadata);
                } else {
                    if (tensors.containsKey(key)) {
                        throw bad("tensor '" + key + "' appears twice");
                    }
                    tensors.put(key, tensor(key, t));
                }
            }
        }

        private void metadata(JsonToken t, Map<String, String> metadata) throws IOException {
            if (t != JsonToken.START_OBJECT) {
                throw bad("__metadata__ is " + describe(t) + "; expected an object of string keys to string values");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                JsonToken v = p.nextToken();
                if (v != JsonToken.VALUE_STRING) {
                    throw bad("__metadata__ '" + key + "' is " + describe(v) + "; metadata values must be strings");
                }
                metadata.put(key, p.getText());
            }
        }

        private Tensor tensor(String key, JsonToken t) throws IOException {
            String what = "tensor '" + key + "'";
            if (t != JsonToken.START_OBJECT) {
                throw bad(what + " is " + describe(t) + "; expected an object with dtype, shape and data_offsets");
            }
            String dtype = null;
            long[] shape = null;
            long[] offsets = null;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String field = p.currentName();
                JsonToken v = p.nextToken();
                switch (field) {
                    case "dtype":
                        if (v != JsonToken.VALUE_STRING) {
                            throw bad(what + " has dtype " + describe(v) + "; expected a string such as \"F32\"");
                        }
                        dtype = p.getText();
                        break;
                    case "shape":
                        shape = integers(v, what + " shape", "a list of non-negative integers");
                        break;
                    case "data_offsets":
                        offsets = integers(v, what + " data_offsets", "[begin, end], non-negative integers");
                        if (offsets.length != 2) {
                            throw bad(what + " data_offsets has " + offsets.length + " numbers; expected [begin, end]");
                        }
                        break;
                    default:
                        p.skipChildren(); // unknown fields carry nothing this reader needs
                }
            }
            for (Object[] required : new Object[][] {{"dtype", dtype}, {"shape", shape}, {"data_offsets", offsets}}) {
                if (required[1] == null) {
                    throw bad(what + " lacks '" + required[0] + "'; expected " + FORM);
                }
            }
            long dataLength = bytes.length - dataStart;
            if (offsets[1] < offsets[0] || offsets[1] > dataLength) {
                throw bad(what + " has data_offsets [" + offsets[0] + ", " + offsets[1] + "]; expected begin <= end <= "
                        + dataLength + ", the bytes after the header; the file is truncated or corrupt");
            }
            ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) offsets[0], (int) (offsets[1] - offsets[0]))
                    .slice().order(ByteOrder.LITTLE_ENDIAN);
            return new Tensor(dtype, shape, offsets[0], offsets[1], data);
        }

        /** A JSON array of integers in [0, Long.MAX_VALUE]. */
        private long[] integers(JsonToken t, String what, String expected) throws IOException {
            if (t != JsonToken.START_ARRAY) {
                throw bad(what + " is " + describe(t) + "; expected " + expected);
            }
            List<Long> out = new ArrayList<>();
            for (JsonToken v; (v = p.nextToken()) != JsonToken.END_ARRAY; ) {
                if (v != JsonToken.VALUE_NUMBER_INT || p.getNumberType() == JsonParser.NumberType.BIG_INTEGER
                        || p.getLongValue() < 0) {
                    throw bad(what + " has " + (v == JsonToken.VALUE_NUMBER_INT || v == JsonToken.VALUE_NUMBER_FLOAT
                            ? p.getText() : describe(v)) + "; expected " + expected);
                }
                out.add(p.getLongValue());
            }
            return out.stream().mapToLong(Long::longValue).toArray();
        }
    }

    /** A JSON token as a reader of the message would call it. */
    private static String describe(JsonToken t) {
        if (t == null) {
            return "missing (the header ends)";
        }
        switch (t) {
            case START_OBJECT:
                return "an object";
            case START_ARRAY:
                return "an array";
            case VALUE_STRING:
                return "a string";
            case VALUE_NUMBER_INT:
            case VALUE_NUMBER_FLOAT:
                return "a number";
            case VALUE_TRUE:
            case VALUE_FALSE:
                return "a boolean";
            case VALUE_NULL:
                return "null";
            default:
                return t.asString() == null ? t.name() : "'" + t.asString() + "'";
        }
    }

    /** The number of dimensions of a tensor of the file, or -1 when it has no such tensor. */
    public int dimensions(String key) {
        Tensor t = tensors.get(key);
        return t == null ? -1 : t.shape.length;
    }

    /** A 1-D or 2-D float tensor as a matrix (1-D becomes one row). */
    public FloatMatrix tensor(String key, String name) throws IOException {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IOException(name + ": no tensor '" + key + "'; tensors in the file: " + tensors.keySet());
        }
        String shape = java.util.Arrays.toString(t.shape);
        if (t.shape.length < 1 || t.shape.length > 2) {
            throw new IOException(name + ": tensor '" + key + "' has shape " + shape + " (" + t.shape.length
                    + " dimensions); expected 1 or 2");
        }
        long rows = t.shape.length == 2 ? t.shape[0] : 1;
        long cols = t.shape[t.shape.length - 1];
        int width;
        switch (t.dtype) {
            case "F32":
                width = 4;
                break;
            case "F16":
            case "BF16":
                width = 2;
                break;
            default:
                throw new IOException(name + ": tensor '" + key + "' has dtype " + t.dtype + "; accepted: F32, F16, BF16");
        }
        if (cols != 0 && rows > Npy.MAX_ELEMENTS / cols || Math.max(rows, cols) > Npy.MAX_ELEMENTS) {
            throw new IOException(name + ": tensor '" + key + "' has shape " + shape + "; accepted: at most "
                    + Npy.MAX_ELEMENTS + " elements (the largest Java array)");
        }
        long count = rows * cols;
        if (count * width != t.data.remaining()) {
            throw new IOException(name + ": tensor '" + key + "' shape " + shape + " of " + t.dtype + " needs "
                    + count * width + " bytes, its data_offsets give " + t.data.remaining());
        }
        float[] out = new float[(int) count];
        ByteBuffer d = t.data;
        for (int i = 0; i < out.length; i++) {
            switch (t.dtype) {
                case "F32":
                    out[i] = d.getFloat(i * 4);
                    break;
                case "F16":
                    out[i] = HalfFloats.f16ToFloat(d.getShort(i * 2));
                    break;
                default:
                    out[i] = HalfFloats.bf16ToFloat(d.getShort(i * 2));
            }
        }
        return new FloatMatrix((int) rows, (int) cols, out);
    }

    /** The table in the file, bound to its stored vocabulary, else with rows named by their index. */
    public EmbeddingTable embeddingTable(String name) throws IOException {
        return embeddingTable(name, null);
    }

    /**
     * The table in the file: tensor {@code embeddings}, or the only tensor (of several others, none is
     * guessed to be the table). Its rows are bound to the stored vocabulary, else to {@code vocabulary}
     * (a file written by a tool that stores none, e.g. a converted checkpoint whose tokenizer the caller
     * knows), else named by their index when {@code vocabulary} is null.
     */
    public EmbeddingTable embeddingTable(String name, List<String> vocabulary) throws IOException {
        String key;
        if (tensors.containsKey(TABLE)) {
            key = TABLE;
        } else if (tensors.size() == 1) {
            key = tensors.keySet().iterator().next();
        } else {
            throw new IOException(name + ": no tensor '" + TABLE + "' and " + tensors.size() + " tensors "
                    + tensors.keySet() + "; expected '" + TABLE + "' or a single tensor");
        }
        FloatMatrix m = tensor(key, name);
        String vocab = metadata.get(VOCABULARY_KEY);
        List<String> tokens = vocab != null ? vocabulary(vocab, name)
                : vocabulary != null ? vocabulary : numbered(m.rows());
        if (tokens.size() != m.rows()) {
            throw new IOException(name + ": " + m.rows() + " rows for a vocabulary of " + tokens.size()
                    + " tokens; a table has one row per token, in vocabulary order");
        }
        return new EmbeddingTable(tokens, m);
    }

    private static List<String> numbered(int rows) {
        List<String> tokens = new ArrayList<>(rows);
        for (int i = 0; i < rows; i++) {
            tokens.add(Integer.toString(i));
        }
        return tokens;
    }

    /** The vocabulary in {@code __metadata__}: a JSON list of strings inside a string. */
    private static List<String> vocabulary(String json, String name) throws IOException {
        String where = name + ": __metadata__ '" + VOCABULARY_KEY + "' ";
        String expected = "; expected a JSON list of strings, one token per row";
        List<String> tokens = new ArrayList<>();
        try (JsonParser p = JSON.createParser(json)) {
            JsonToken first = p.nextToken();
            if (first != JsonToken.START_ARRAY) {
                throw new IOException(where + "is " + describe(first) + expected);
            }
            for (JsonToken t; (t = p.nextToken()) != JsonToken.END_ARRAY; ) {
                if (t != JsonToken.VALUE_STRING) {
                    throw new IOException(where + "entry " + tokens.size() + " is " + describe(t) + expected);
                }
                tokens.add(p.getText());
            }
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(where + "is not valid JSON (column " + e.getLocation().getColumnNr() + ": "
                    + e.getOriginalMessage() + ")" + expected, e);
        }
        return tokens;
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        return HalfFloats.f16ToFloat(h);
    }

    /** An embedding table as F32 tensor {@code embeddings} with its vocabulary in the metadata. */
    public static byte[] write(EmbeddingTable table) throws IOException {
        return write(table, DType.F32);
    }

    /**
     * An embedding table as tensor {@code embeddings} of the given type (F16 and BF16 round to nearest
     * even, halving the file of a large table), with its vocabulary in the metadata.
     */
    public static byte[] write(EmbeddingTable table, DType dtype) throws IOException {
        StringWriter vocab = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(vocab)) {
            g.writeStartArray();
            for (String t : table.tokens()) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        metadata.put(VOCABULARY_KEY, vocab.toString());
        return write(Map.of(TABLE, table.vectors()), metadata, dtype);
    }

    /**
     * Named F32 tensors in the given order, with string metadata (e.g. a model's configuration). A
     * matrix with one row is written as a 1-D tensor of its columns (a norm's weight vector), so that
     * the file loads in PyTorch with the shapes a module expects; {@link #tensor} reads either back.
     */
    public static byte[] write(Map<String, FloatMatrix> tensors, Map<String, String> metadata) throws IOException {
        return write(tensors, metadata, DType.F32);
    }

    private static byte[] write(Map<String, FloatMatrix> tensors, Map<String, String> metadata, DType dtype)
            throws IOException {
        StringWriter header = new StringWriter();
        long bytes = 0;
        try (JsonGenerator g = JSON.createGenerator(header)) {
            g.writeStartObject();
            g.writeObjectFieldStart("__metadata__");
            for (Map.Entry<String, String> e : metadata.entrySet()) {
                g.writeStringField(e.getKey(), e.getValue());
            }
            if (!metadata.containsKey("format")) {
                g.writeStringField("format", "pt");
            }
            g.writeEndObject();
            for (Map.Entry<String, FloatMatrix> e : tensors.entrySet()) {
                FloatMatrix m = e.getValue();
                long size = (long) m.data().length * dtype.width();
                g.writeObjectFieldStart(e.getKey());
                g.writeStringField("dtype", dtype.name());
                g.writeArrayFieldStart("shape");
                if (m.rows() != 1) {
                    g.writeNumber(m.rows());
                }
                g.writeNumber(m.cols());
                g.writeEndArray();
                g.writeArrayFieldStart("data_offsets");
                g.writeNumber(bytes);
                g.writeNumber(bytes + size);
                g.writeEndArray();
                g.writeEndObject();
                bytes += size;
            }
            g.writeEndObject();
        }
        if (bytes > Integer.MAX_VALUE - 1024) {
            throw new IOException("safetensors: " + bytes + " bytes of tensors exceed the 2 GB a Java array holds");
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8; // the data starts 8-byte aligned, as the reference writer does
        ByteBuffer out = ByteBuffer.allocate((int) (8 + padded + bytes)).order(ByteOrder.LITTLE_ENDIAN);
        out.putLong(padded).put(h);
        for (int i = h.length; i < padded; i++) {
            out.put((byte) ' ');
        }
        for (FloatMatrix m : tensors.values()) {
            if (dtype == DType.F32) {
                out.asFloatBuffer().put(m.data());
                out.position(out.position() + m.data().length * 4);
            } else {
                for (float v : m.data()) {
                    out.putShort(dtype == DType.F16 ? HalfFloats.floatToF16(v) : HalfFloats.floatToBf16(v));
                }
            }
        }
        return out.array();
    }
}
