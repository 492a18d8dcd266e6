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

    @Test
    void tablesRoundTripInEveryFloatType() throws IOException {
        EmbeddingTable t = new EmbeddingTable(List.of("a", "b"), new FloatMatrix(2, 3,
                new float[] {1f, -2.5f, 0.1f, 65504f, 3.140625f, -0.0003f}));
        for (Safetensors.DType type : Safetensors.DType.values()) {
            byte[] bytes = Safetensors.write(t, type);
            assertThat(new String(bytes, StandardCharsets.ISO_8859_1)).contains("\"dtype\":\"" + type + "\"");
            assertThat(bytes.length - 8 - ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0))
                    .as("data bytes of " + type).isEqualTo(6L * type.width());
            EmbeddingTable back = Safetensors.read(bytes, "t").embeddingTable("t");
            assertThat(back.tokens()).containsExactly("a", "b");
            float tolerance = type == Safetensors.DType.F32 ? 0f : type == Safetensors.DType.F16 ? 1e-3f : 8e-3f;
            for (int i = 0; i < 6; i++) {
                float want = t.vectors().data()[i];
                assertThat(back.vectors().data()[i]).as(type + " value " + i)
                        .isCloseTo(want, org.assertj.core.data.Offset.offset(tolerance * Math.max(1e-3f, Math.abs(want))));
            }
        }
    }

    @Test
    void aTableWithoutStoredVocabularyIsBoundToTheGivenOne() throws IOException {
        byte[] bytes = Safetensors.write(java.util.Map.of("embeddings", new FloatMatrix(2, 1, new float[] {1, 2})),
                java.util.Map.of());
        assertThat(Safetensors.read(bytes, "t").embeddingTable("t", List.of("x", "y")).tokens()).containsExactly("x", "y");
        assertThat(Safetensors.read(bytes, "t").embeddingTable("t").tokens()).containsExactly("0", "1");
        assertThatThrownBy(() -> Safetensors.read(bytes, "t").embeddingTable("t", List.of("x")))
                .hasMessageContaining("2 rows for a vocabulary of 1 tokens");
        EmbeddingTable stored = new EmbeddingTable(List.of("p", "q"), new FloatMatrix(2, 1, new float[] {1, 2}));
        assertThat(Safetensors.read(Safetensors.write(stored), "t").embeddingTable("t", List.of("x", "y")).tokens())
                .as("the stored vocabulary wins").containsExactly("p", "q");
    }

    @Test
    void severalTensorsWithoutEmbeddingsAreNotGuessedToBeTheTable() throws IOException {
        java.util.Map<String, FloatMatrix> two = new java.util.LinkedHashMap<>();
        two.put("w", new FloatMatrix(2, 1, new float[] {1, 2}));
        two.put("v", new FloatMatrix(2, 1, new float[] {3, 4}));
        Safetensors st = Safetensors.read(Safetensors.write(two, java.util.Map.of()), "two.safetensors");
        assertThatThrownBy(() -> st.embeddingTable("two.safetensors")).hasMessageContaining("two.safetensors")
                .hasMessageContaining("no tensor 'embeddings'").hasMessageContaining("[w, v]");
    }

    @Test
    void dataThatDoesNotTileTheDataSectionIsRefused() {
        assertThatThrownBy(() -> Safetensors.read(file("{" + TENSOR + "}", new byte[12]), "t.safetensors"))
                .hasMessageContaining("t.safetensors").hasMessageContaining("trailing bytes");
        assertThatThrownBy(() -> Safetensors.read(file("{\"embeddings\":{\"dtype\":\"F32\",\"shape\":[1,1],"
                + "\"data_offsets\":[4,8]}}", new byte[8]), "t.safetensors")).hasMessageContaining("has a hole at byte 0");
        assertThatThrownBy(() -> Safetensors.read(file("{" + TENSOR + ",\"b\":{\"dtype\":\"F32\",\"shape\":[1],"
                + "\"data_offsets\":[4,8]}}", new byte[8]), "t.safetensors")).hasMessageContaining("overlaps");
        assertThatThrownBy(() -> Safetensors.read(file("{" + TENSOR + "}", new byte[4]), "t.safetensors"))
                .hasMessageContaining("truncated");
    }

    @Test
    void anEmptyTensorWithADimensionBeyondAnArrayIsRefused() throws IOException {
        Safetensors st = Safetensors.read(file("{\"embeddings\":{\"dtype\":\"F32\",\"shape\":[4294967296,0],"
                + "\"data_offsets\":[0,0]}}", new byte[0]), "e.safetensors");
        assertThatThrownBy(() -> st.embeddingTable("e.safetensors")).hasMessageContaining("e.safetensors")
                .hasMessageContaining("[4294967296, 0]");
    }
}
