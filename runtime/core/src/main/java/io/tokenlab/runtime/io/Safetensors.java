package io.tokenlab.runtime.io;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;

import java.io.ByteArrayOutputStream;
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
 * as float; tables are written as F32. An embedding table's vocabulary travels in the header's
 * {@code __metadata__} under {@code tokenlab.vocabulary}, as a JSON list in a string (metadata values
 * must be strings).
 */
public final class Safetensors {
    public static final String VOCABULARY_KEY = "tokenlab.vocabulary";
    private static final JsonFactory JSON = new JsonFactory();

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

    public static Safetensors read(byte[] bytes, String name) throws IOException {
        if (bytes.length < 8) {
            throw new IOException(name + ": too short for safetensors (" + bytes.length + " bytes)");
        }
        ByteBuffer buf = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long headerLength = buf.getLong(0);
        if (headerLength <= 0 || headerLength > bytes.length - 8) {
            throw new IOException(name + ": header length " + headerLength + " does not fit a file of "
                    + bytes.length + " bytes; not a safetensors file?");
        }
        String header = new String(bytes, 8, (int) headerLength, StandardCharsets.UTF_8);
        int dataStart = 8 + (int) headerLength;
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        Map<String, String> metadata = new LinkedHashMap<>();
        try (JsonParser p = JSON.createParser(header)) {
            readHeader(p, name, bytes, dataStart, tensors, metadata);
        } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
            throw new IOException(name + ": malformed safetensors header: " + e.getOriginalMessage());
        }
        return new Safetensors(tensors, metadata);
    }

    private static void readHeader(JsonParser p, String name, byte[] bytes, int dataStart, Map<String, Tensor> tensors,
                                   Map<String, String> metadata) throws IOException {
        {
            expect(p.nextToken(), JsonToken.START_OBJECT, name);
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String key = p.currentName();
                expect(p.nextToken(), JsonToken.START_OBJECT, name);
                if (key.equals("__metadata__")) {
                    while (p.nextToken() == JsonToken.FIELD_NAME) {
                        String mk = p.currentName();
                        p.nextToken();
                        metadata.put(mk, p.getValueAsString());
                    }
                    continue;
                }
                String dtype = null;
                List<Long> shape = new ArrayList<>();
                long[] offsets = new long[2];
                while (p.nextToken() == JsonToken.FIELD_NAME) {
                    String f = p.currentName();
                    JsonToken t = p.nextToken();
                    switch (f) {
                        case "dtype":
                            dtype = p.getValueAsString();
                            break;
                        case "shape":
                            while (p.nextToken() != JsonToken.END_ARRAY) {
                                shape.add(p.getLongValue());
                            }
                            break;
                        case "data_offsets":
                            p.nextToken();
                            offsets[0] = p.getLongValue();
                            p.nextToken();
                            offsets[1] = p.getLongValue();
                            p.nextToken();
                            break;
                        default:
                            if (t == JsonToken.START_OBJECT || t == JsonToken.START_ARRAY) {
                                p.skipChildren();
                            }
                    }
                }
                if (offsets[1] < offsets[0] || dataStart + offsets[1] > bytes.length) {
                    throw new IOException(name + ": tensor '" + key + "' has data offsets " + offsets[0] + ".."
                            + offsets[1] + " outside the file");
                }
                ByteBuffer data = ByteBuffer.wrap(bytes, dataStart + (int) offsets[0], (int) (offsets[1] - offsets[0]))
                        .slice().order(ByteOrder.LITTLE_ENDIAN);
                tensors.put(key, new Tensor(dtype, shape.stream().mapToLong(Long::longValue).toArray(), offsets[0],
                        offsets[1], data));
            }
        }
    }

    private static void expect(JsonToken got, JsonToken want, String name) throws IOException {
        if (got != want) {
            throw new IOException(name + ": malformed safetensors header (expected " + want + ", found " + got + ")");
        }
    }

    /** A 1-D or 2-D float tensor as a matrix (1-D becomes one row). */
    public FloatMatrix tensor(String key, String name) throws IOException {
        Tensor t = tensors.get(key);
        if (t == null) {
            throw new IOException(name + ": no tensor '" + key + "'; tensors in the file: " + tensors.keySet());
        }
        if (t.shape.length < 1 || t.shape.length > 2) {
            throw new IOException(name + ": tensor '" + key + "' has " + t.shape.length + " dimensions; expected 1 or 2");
        }
        int rows = t.shape.length == 2 ? Math.toIntExact(t.shape[0]) : 1;
        int cols = Math.toIntExact(t.shape[t.shape.length - 1]);
        float[] out = new float[Math.multiplyExact(rows, cols)];
        ByteBuffer d = t.data;
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
        if ((long) out.length * width != d.remaining()) {
            throw new IOException(name + ": tensor '" + key + "' shape " + rows + "x" + cols + " needs "
                    + (long) out.length * width + " bytes, has " + d.remaining());
        }
        for (int i = 0; i < out.length; i++) {
            switch (t.dtype) {
                case "F32":
                    out[i] = d.getFloat(i * 4);
                    break;
                case "F16":
                    out[i] = halfToFloat(d.getShort(i * 2));
                    break;
                default:
                    out[i] = Float.intBitsToFloat((d.getShort(i * 2) & 0xffff) << 16);
            }
        }
        return new FloatMatrix(rows, cols, out);
    }

    public EmbeddingTable embeddingTable(String name) throws IOException {
        String key = tensors.containsKey("embeddings") ? "embeddings" : tensors.keySet().stream().findFirst()
                .orElseThrow(() -> new IOException(name + ": no tensors in the file"));
        FloatMatrix m = tensor(key, name);
        String vocab = metadata.get(VOCABULARY_KEY);
        List<String> tokens = new ArrayList<>();
        if (vocab == null) {
            for (int i = 0; i < m.rows(); i++) {
                tokens.add(Integer.toString(i));
            }
        } else {
            try (JsonParser p = JSON.createParser(vocab)) {
                expect(p.nextToken(), JsonToken.START_ARRAY, name);
                while (p.nextToken() != JsonToken.END_ARRAY) {
                    tokens.add(p.getValueAsString());
                }
            }
        }
        if (tokens.size() != m.rows()) {
            throw new IOException(name + ": " + tokens.size() + " vocabulary entries for " + m.rows() + " rows");
        }
        return new EmbeddingTable(tokens, m);
    }

    /** IEEE 754 binary16 to float (Java 17 has no Float.float16ToFloat). */
    static float halfToFloat(short h) {
        int bits = h & 0xffff;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1f;
        int mant = bits & 0x3ff;
        if (exp == 0x1f) {
            return Float.intBitsToFloat(sign | 0x7f800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) {
                return Float.intBitsToFloat(sign);
            }
            float v = mant / 1024f * 0x1p-14f; // subnormal
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** An embedding table as F32 tensor {@code embeddings} with its vocabulary in the metadata. */
    public static byte[] write(EmbeddingTable table) throws IOException {
        FloatMatrix m = table.vectors();
        StringWriter vocab = new StringWriter();
        try (JsonGenerator g = JSON.createGenerator(vocab)) {
            g.writeStartArray();
            for (String t : table.tokens()) {
                g.writeString(t);
            }
            g.writeEndArray();
        }
        StringWriter header = new StringWriter();
        long bytes = (long) m.data().length * 4;
        try (JsonGenerator g = JSON.createGenerator(header)) {
            g.writeStartObject();
            g.writeObjectFieldStart("__metadata__");
            g.writeStringField(VOCABULARY_KEY, vocab.toString());
            g.writeStringField("format", "pt");
            g.writeEndObject();
            g.writeObjectFieldStart("embeddings");
            g.writeStringField("dtype", "F32");
            g.writeArrayFieldStart("shape");
            g.writeNumber(m.rows());
            g.writeNumber(m.cols());
            g.writeEndArray();
            g.writeArrayFieldStart("data_offsets");
            g.writeNumber(0);
            g.writeNumber(bytes);
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
        }
        byte[] h = header.toString().getBytes(StandardCharsets.UTF_8);
        int padded = (h.length + 7) / 8 * 8; // the data starts 8-byte aligned, as the reference writer does
        ByteArrayOutputStream out = new ByteArrayOutputStream((int) (8 + padded + bytes));
        ByteBuffer len = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        out.write(len.array());
        out.write(h);
        for (int i = h.length; i < padded; i++) {
            out.write(' ');
        }
        ByteBuffer data = ByteBuffer.allocate((int) bytes).order(ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(m.data());
        out.write(data.array());
        return out.toByteArray();
    }
}
