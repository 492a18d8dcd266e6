package io.tokenlab.plugin.transplant.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class TableFilesTest {
    @TempDir
    Path dir;

    static EmbeddingTable sample() {
        float[] v = new float[4 * 3];
        for (int i = 0; i < v.length; i++) {
            v[i] = (i - 5) * 0.37f;
        }
        return new EmbeddingTable(List.of("Ġthe", "cat", "\"quoted\"", "naïve"), new FloatMatrix(4, 3, v));
    }

    @Test
    void safetensorsRoundTripsInEveryFloatType() throws Exception {
        EmbeddingTable t = sample();
        for (SafetensorsFile.DType type : SafetensorsFile.DType.values()) {
            byte[] bytes = SafetensorsFile.write(t, type);
            EmbeddingTable back = SafetensorsFile.readTable(bytes, "x", null);
            assertThat(back.tokens()).isEqualTo(t.tokens());
            float tolerance = type == SafetensorsFile.DType.F32 ? 0f : type == SafetensorsFile.DType.F16 ? 2e-3f : 1e-2f;
            for (int i = 0; i < t.vectors().data().length; i++) {
                assertThat(back.vectors().data()[i]).isCloseTo(t.vectors().data()[i],
                        org.assertj.core.data.Offset.offset(tolerance * Math.max(1, Math.abs(t.vectors().data()[i]))));
            }
        }
    }

    /** The format as its specification (huggingface/safetensors README, "Format") states it. */
    @Test
    void writtenHeaderFollowsTheSafetensorsSpecification() throws Exception {
        byte[] bytes = SafetensorsFile.write(sample(), SafetensorsFile.DType.F32);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + n) % 8).as("data starts 8-byte aligned").isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{");
        @SuppressWarnings("unchecked")
        Map<String, Object> h = (Map<String, Object>) Json.parse(header.stripTrailing(), "header");
        assertThat(header.substring(header.stripTrailing().length())).matches(" *");
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) h.get("__metadata__");
        assertThat(meta.values()).allMatch(v -> v instanceof String);
        assertThat(Json.parse((String) meta.get("tokenlab.vocabulary"), "vocab")).isEqualTo(sample().tokens());
        @SuppressWarnings("unchecked")
        Map<String, Object> e = (Map<String, Object>) h.get("embeddings");
        assertThat(e.get("dtype")).isEqualTo("F32");
        assertThat(e.get("shape")).isEqualTo(List.of(4L, 3L));
        assertThat(e.get("data_offsets")).isEqualTo(List.of(0L, 48L));
        assertThat(bytes.length).isEqualTo(8 + n + 48);
        float first = ByteBuffer.wrap(bytes, (int) (8 + n), 4).order(ByteOrder.LITTLE_ENDIAN).getFloat();
        assertThat(first).isEqualTo(sample().vectors().get(0, 0));
    }

    @Test
    void truncatedSafetensorsIsAClearError() {
        byte[] bytes = SafetensorsFile.write(sample(), SafetensorsFile.DType.F32);
        assertThatThrownBy(() -> SafetensorsFile.readTable(Arrays.copyOf(bytes, bytes.length - 5), "t.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("t.safetensors")
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> SafetensorsFile.readTable(Arrays.copyOf(bytes, 40), "t.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("header size");
        assertThatThrownBy(() -> SafetensorsFile.readTable(new byte[3], "t.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("too short");
    }

    @Test
    void corruptSafetensorsHeaderIsAClearError() {
        byte[] bytes = SafetensorsFile.write(sample(), SafetensorsFile.DType.F32);
        byte[] broken = bytes.clone();
        broken[8] = '['; // the header must be an object
        assertThatThrownBy(() -> SafetensorsFile.readTable(broken, "c.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("c.safetensors");
        byte[] wrongType = bytes.clone();
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\"F32\"");
        wrongType[at + 1] = 'I'; // "I32": not a float table
        assertThatThrownBy(() -> SafetensorsFile.readTable(wrongType, "c.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("accepted: F32, F16, BF16");
    }

    @Test
    void rowCountMustMatchTheVocabulary() {
        byte[] npy = NpyFile.write(sample().vectors());
        assertThatThrownBy(() -> Tables.bind(List.of("a", "b"), NpyFile.read(npy, "v.npy"), "v.npy"))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("4 rows for a vocabulary of 2 tokens");
        EmbeddingTable wrong = new EmbeddingTable(List.of("a"), new FloatMatrix(1, 3, new float[3]));
        byte[] st = SafetensorsFile.write(wrong, SafetensorsFile.DType.F32);
        String s = new String(st, StandardCharsets.ISO_8859_1).replace("[\\\"a\\\"]", "[\\\"a\\\",\\\"b\\\"]");
        // same header length after the edit is not needed: lengths are re-read from the prefix, so rebuild it
        byte[] edited = rebuild(s.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> SafetensorsFile.readTable(edited, "w.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("1 rows for a vocabulary of 2 tokens");
    }

    private static byte[] rebuild(byte[] withStaleLength) {
        String all = new String(withStaleLength, StandardCharsets.ISO_8859_1);
        int end = all.lastIndexOf('}') + 1;
        int headerEnd = all.indexOf("]}}") + 3;
        String header = all.substring(8, headerEnd);
        byte[] data = Arrays.copyOfRange(withStaleLength, withStaleLength.length - 12, withStaleLength.length);
        byte[] h = header.getBytes(StandardCharsets.ISO_8859_1);
        ByteBuffer b = ByteBuffer.allocate(8 + h.length + data.length).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(h.length).put(h).put(data);
        assertThat(end).isPositive();
        return b.array();
    }

    @Test
    void nanRowsAreRejectedWithTheirToken() {
        float[] v = sample().vectors().data().clone();
        v[7] = Float.NaN;
        EmbeddingTable bad = new EmbeddingTable(sample().tokens(), new FloatMatrix(4, 3, v));
        byte[] st = SafetensorsFile.write(bad, SafetensorsFile.DType.F32);
        assertThatThrownBy(() -> SafetensorsFile.readTable(st, "n.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("row 2")
                .hasMessageContaining("quoted").hasMessageContaining("NaN");
        assertThatThrownBy(() -> Tables.bind(sample().tokens(), NpyFile.read(NpyFile.write(bad.vectors()), "n.npy"), "n.npy"))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("row 2");
    }

    @Test
    void npyRoundTripsAndTruncatedOrCorruptNpyIsAClearError() throws Exception {
        byte[] npy = NpyFile.write(sample().vectors());
        assertThat(NpyFile.read(npy, "a.npy").data()).isEqualTo(sample().vectors().data());
        assertThatThrownBy(() -> NpyFile.read(Arrays.copyOf(npy, npy.length - 4), "a.npy"))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> NpyFile.read(Arrays.copyOf(npy, 20), "a.npy"))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("truncated");
        byte[] notNpy = npy.clone();
        notNpy[1] = 'X';
        assertThatThrownBy(() -> NpyFile.read(notNpy, "a.npy")).isInstanceOf(TableFormatException.class)
                .hasMessageContaining("not a .npy");
        byte[] ints = new String(npy, StandardCharsets.ISO_8859_1).replace("<f4", "<i4").getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> NpyFile.read(ints, "a.npy")).isInstanceOf(TableFormatException.class)
                .hasMessageContaining("not a float type");
    }

    @Test
    void textVectorsRoundTripInGloveAndWord2vecForms() throws Exception {
        EmbeddingTable t = new EmbeddingTable(List.of("the", "cat"), new FloatMatrix(2, 2, new float[] {1f, -2.5f, 0.25f, 3f}));
        for (String name : List.of("v.txt", "v.vec")) {
            Path f = dir.resolve(name);
            TableFiles.write(f, t);
            EmbeddingTable back = TableFiles.read(f, null);
            assertThat(back.tokens()).isEqualTo(t.tokens());
            assertThat(back.vectors().data()).isEqualTo(t.vectors().data());
        }
        Files.writeString(dir.resolve("short.vec"), "3 2\nthe 1 2\ncat 3 4\n");
        assertThatThrownBy(() -> TableFiles.read(dir.resolve("short.vec"), null)).isInstanceOf(TableFormatException.class)
                .hasMessageContaining("declares 3 words");
    }

    @Test
    void aFailedWriteLeavesTheOldFileAndNoPartialFile() throws Exception {
        Path target = dir.resolve("out.safetensors");
        TableFiles.write(target, sample());
        byte[] before = Files.readAllBytes(target);
        float[] v = sample().vectors().data().clone();
        v[0] = Float.POSITIVE_INFINITY;
        EmbeddingTable bad = new EmbeddingTable(sample().tokens(), new FloatMatrix(4, 3, v));
        assertThatThrownBy(() -> TableFiles.write(target, bad)).isInstanceOf(TableFormatException.class);
        assertThat(Files.readAllBytes(target)).isEqualTo(before);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("out.safetensors");
        }
    }

    @Test
    void halfFloatConversionsRoundToNearestEven() {
        assertThat(HalfFloats.floatToF16(1f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToF16(65504f)).isEqualTo((short) 0x7bff);
        assertThat(HalfFloats.floatToF16(1e6f)).isEqualTo((short) 0x7c00);
        assertThat(HalfFloats.f16ToFloat((short) 0x0001)).isEqualTo(0x1p-24f);
        assertThat(HalfFloats.floatToF16(0x1p-24f)).isEqualTo((short) 1);
        // 1 + 2^-11 is halfway between 1 and the next half; ties go to the even mantissa (1)
        assertThat(HalfFloats.floatToF16(1f + 0x1p-11f)).isEqualTo((short) 0x3c00);
        assertThat(HalfFloats.floatToBf16(1f + 0x1p-8f)).isEqualTo((short) 0x3f80);
        assertThat(HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(3.140625f))).isEqualTo(3.140625f);
    }

    @Test
    void shapesAndHeadersBeyondAnArrayNameTheFileAndTheValue() throws Exception {
        Path big = Files.write(dir.resolve("big.npy"), io.tokenlab.api.testkit.BadFiles.npy(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (4294967296, 2), }", new byte[0]));
        assertThatThrownBy(() -> TableFiles.read(big, List.of("a"))).isInstanceOf(TableFormatException.class)
                .hasMessageContaining(big.toString()).hasMessageContaining("(4294967296, 2)");
        Path negative = Files.write(dir.resolve("neg.npy"), io.tokenlab.api.testkit.BadFiles.npy(
                "{'descr': '<f4', 'fortran_order': False, 'shape': (-5, 768), }", new byte[0]));
        assertThatThrownBy(() -> TableFiles.read(negative, List.of("a"))).hasMessageContaining("dimension '-5'")
                .hasMessageContaining("non-negative integers");
        Path header = Files.writeString(dir.resolve("t.vec"), "99999999999999999999999999999 4\nthe 1 2 3 4\n");
        assertThatThrownBy(() -> TableFiles.read(header, null)).isInstanceOf(TableFormatException.class)
                .hasMessageContaining(header + ":1: word2vec header").hasMessageContaining("<word count> <dimension>");
        Path wide = Files.writeString(dir.resolve("w.vec"), "1 2147483647\nthe 1 2 3 4\n");
        assertThatThrownBy(() -> TableFiles.read(wide, null)).hasMessageContaining("dimension in 1..");
    }
}
