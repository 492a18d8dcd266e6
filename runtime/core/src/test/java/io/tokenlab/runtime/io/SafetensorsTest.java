package io.tokenlab.runtime.io;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Safetensors headers that break the format fail with the file, the part of the header and what is expected. */
class SafetensorsTest {
    /** A safetensors file: the 8-byte header length, the JSON header, then {@code data}. */
    static byte[] file(String header, byte[] data) {
        byte[] h = header.getBytes(StandardCharsets.UTF_8);
        return ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN)
                .putLong(h.length).put(h).put(data).array();
    }

    private static final String TENSOR = "\"embeddings\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0,8]}";

    private static String readError(String header) {
        try {
            Safetensors st = Safetensors.read(file(header, new byte[8]), "t.safetensors");
            st.embeddingTable("t.safetensors");
        } catch (IOException e) {
            return e.getMessage();
        }
        throw new AssertionError("no error for " + header);
    }

    @Test
    void vocabularyThatIsNotAJsonListNamesTheKeyAndTheExpectedForm() {
        String message = readError("{\"__metadata__\":{\"tokenlab.vocabulary\":\"[\\\"a\\\", oops]\"}," + TENSOR + "}");
        assertThat(message).startsWith("t.safetensors: ").contains("__metadata__").contains("tokenlab.vocabulary")
                .contains("expected a JSON list of strings");
        assertThat(readError("{\"__metadata__\":{\"tokenlab.vocabulary\":\"[\\\"a\\\", 5]\"}," + TENSOR + "}"))
                .contains("tokenlab.vocabulary").contains("entry 1").contains("expected a JSON list of strings");
    }

    @Test
    void metadataThatIsNotStringsNamesTheKey() {
        assertThat(readError("{\"__metadata__\":{\"format\":{\"nested\":1}}," + TENSOR + "}"))
                .startsWith("t.safetensors: ").contains("__metadata__ 'format'").contains("an object")
                .contains("metadata values must be strings");
        assertThat(readError("{\"__metadata__\":[1,2]," + TENSOR + "}")).startsWith("t.safetensors: ")
                .contains("__metadata__ is an array").contains("expected an object of string keys to string values");
    }

    @Test
    void tensorEntriesMustHaveTheirThreeFields() {
        assertThat(readError("{\"embeddings\":{\"shape\":[2,1],\"data_offsets\":[0,8]}}"))
                .startsWith("t.safetensors: ").contains("tensor 'embeddings' lacks 'dtype'");
        assertThat(readError("{\"embeddings\":{\"dtype\":\"F32\",\"shape\":[\"2\",1],\"data_offsets\":[0,8]}}"))
                .contains("tensor 'embeddings'").contains("shape").contains("non-negative integers");
        assertThat(readError("{\"embeddings\":{\"dtype\":\"F32\",\"shape\":[-2,1],\"data_offsets\":[0,8]}}"))
                .contains("tensor 'embeddings'").contains("-2").contains("non-negative integers");
        assertThat(readError("{\"embeddings\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[-8,8]}}"))
                .contains("tensor 'embeddings'").contains("data_offsets").contains("-8");
        assertThat(readError("{\"embeddings\":{\"dtype\":\"F32\",\"shape\":[2,1],\"data_offsets\":[0]}}"))
                .contains("tensor 'embeddings'").contains("data_offsets").contains("[begin, end]");
        assertThat(readError("{\"embeddings\":[1,2]}")).contains("tensor 'embeddings' is an array")
                .contains("expected an object with dtype, shape and data_offsets");
        assertThat(readError("{\"embeddings\":{\"dtype\":\"F32\",\"shape\":[99999999999,99999999999],"
                + "\"data_offsets\":[0,8]}}")).contains("tensor 'embeddings'").contains("[99999999999, 99999999999]");
    }

    @Test
    void invalidJsonSaysWhereAndWhatIsExpected() {
        assertThat(readError("{\"embeddings\":{\"dtype\":\"F32\",,}}")).startsWith("t.safetensors: ")
                .contains("not valid JSON").contains("column");
        assertThat(readError("[1]")).contains("header is an array").contains("expected a JSON object");
    }

    @Test
    void aValidFileStillReads() throws IOException {
        EmbeddingTable t = new EmbeddingTable(List.of("x", "y"), new FloatMatrix(2, 1, new float[] {1.5f, -2f}));
        EmbeddingTable back = Safetensors.read(Safetensors.write(t), "ok.safetensors").embeddingTable("ok.safetensors");
        assertThat(back.tokens()).containsExactly("x", "y");
        assertThat(back.vectors().data()).containsExactly(1.5f, -2f);
    }

    @Test
    void namedTensorsAndMetadataRoundTripWithOneRowMatricesAsVectors() throws IOException {
        java.util.Map<String, FloatMatrix> tensors = new java.util.LinkedHashMap<>();
        tensors.put("w", new FloatMatrix(2, 3, new float[]{1, 2, 3, 4, 5, 6}));
        tensors.put("norm", FloatMatrix.row(new float[]{0.5f, -1.5f}));
        byte[] bytes = Safetensors.write(tensors, java.util.Map.of("model.dim", "3"));
        Safetensors st = Safetensors.read(bytes, "m.safetensors");
        assertThat(st.metadata()).containsEntry("model.dim", "3").containsEntry("format", "pt");
        assertThat(st.dimensions("w")).isEqualTo(2);
        assertThat(st.dimensions("norm")).isEqualTo(1);
        assertThat(st.tensor("w", "m").data()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(st.tensor("norm", "m").data()).containsExactly(0.5f, -1.5f);
        assertThat(ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0) % 8).isZero();
    }
}
