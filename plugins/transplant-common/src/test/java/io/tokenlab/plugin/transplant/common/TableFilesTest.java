package io.tokenlab.plugin.transplant.common;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.transplant.EmbeddingTable;
import io.tokenlab.runtime.io.Npy;
import io.tokenlab.runtime.io.Safetensors;
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

/**
 * Tables through {@link TableFiles}, the entry the techniques use, in the formats of the runtime's readers and
 * writers ({@link Safetensors}, {@link Npy}): what a technique reads back, and that a broken file is a
 * {@link TableFormatException} naming the file and what is wrong.
 */
class TableFilesTest {
    /** JSON as the header's writer meant it: integers as longs, so shapes compare with {@code List.of(4L, 3L)}. */
    private static final ObjectMapper JSON = new ObjectMapper().enable(DeserializationFeature.USE_LONG_FOR_INTS);

    @TempDir
    Path dir;

    /** Reads {@code bytes} as the file {@code name} through {@link TableFiles#read}. */
    private EmbeddingTable read(byte[] bytes, String name, List<String> vocabulary) throws java.io.IOException {
        Path file = dir.resolve(name);
        Files.write(file, bytes);
        return TableFiles.read(file, vocabulary);
    }

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
        for (Safetensors.DType type : Safetensors.DType.values()) {
            byte[] bytes = Safetensors.write(t, type);
            EmbeddingTable back = read(bytes, "x.safetensors", null);
            assertThat(back.tokens()).isEqualTo(t.tokens());
            float tolerance = type == Safetensors.DType.F32 ? 0f : type == Safetensors.DType.F16 ? 2e-3f : 1e-2f;
            for (int i = 0; i < t.vectors().data().length; i++) {
                assertThat(back.vectors().data()[i]).isCloseTo(t.vectors().data()[i],
                        org.assertj.core.data.Offset.offset(tolerance * Math.max(1, Math.abs(t.vectors().data()[i]))));
            }
        }
    }

    /** The format as its specification (huggingface/safetensors README, "Format") states it. */
    @Test
    void writtenHeaderFollowsTheSafetensorsSpecification() throws Exception {
        Path file = dir.resolve("spec.safetensors");
        TableFiles.write(file, sample());
        byte[] bytes = Files.readAllBytes(file);
        long n = ByteBuffer.wrap(bytes, 0, 8).order(ByteOrder.LITTLE_ENDIAN).getLong();
        assertThat((8 + n) % 8).as("data starts 8-byte aligned").isZero();
        String header = new String(bytes, 8, (int) n, StandardCharsets.UTF_8);
        assertThat(header).startsWith("{");
        @SuppressWarnings("unchecked")
        Map<String, Object> h = JSON.readValue(header.stripTrailing(), Map.class);
        assertThat(header.substring(header.stripTrailing().length())).matches(" *");
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) h.get("__metadata__");
        assertThat(meta.values()).allMatch(v -> v instanceof String);
        assertThat(JSON.readValue((String) meta.get("tokenlab.vocabulary"), List.class)).isEqualTo(sample().tokens());
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
    void truncatedSafetensorsIsAClearError() throws Exception {
        byte[] bytes = Safetensors.write(sample(), Safetensors.DType.F32);
        assertThatThrownBy(() -> read(Arrays.copyOf(bytes, bytes.length - 5), "t.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("t.safetensors")
                .hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(bytes, 40), "t.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("header size");
        assertThatThrownBy(() -> read(new byte[3], "t.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("too short");
        byte[] trailing = Arrays.copyOf(bytes, bytes.length + 4);
        assertThatThrownBy(() -> read(trailing, "t.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("trailing bytes");
    }

    @Test
    void corruptSafetensorsHeaderIsAClearError() throws Exception {
        byte[] bytes = Safetensors.write(sample(), Safetensors.DType.F32);
        byte[] broken = bytes.clone();
        broken[8] = '['; // the header must be an object
        assertThatThrownBy(() -> read(broken, "c.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("c.safetensors");
        byte[] wrongType = bytes.clone();
        int at = new String(bytes, StandardCharsets.ISO_8859_1).indexOf("\"F32\"");
        wrongType[at + 1] = 'I'; // "I32": not a float table
        assertThatThrownBy(() -> read(wrongType, "c.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("accepted: F32, F16, BF16");
    }

    @Test
    void rowCountMustMatchTheVocabulary() throws Exception {
        byte[] npy = Npy.write(sample().vectors());
        assertThatThrownBy(() -> read(npy, "v.npy", List.of("a", "b")))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("4 rows for a vocabulary of 2 tokens");
        assertThatThrownBy(() -> read(npy, "v.npy", null)).isInstanceOf(TableFormatException.class)
                .hasMessageContaining("give the vocabulary");
        EmbeddingTable wrong = new EmbeddingTable(List.of("a"), new FloatMatrix(1, 3, new float[3]));
        byte[] st = Safetensors.write(wrong, Safetensors.DType.F32);
        String s = new String(st, StandardCharsets.ISO_8859_1).replace("[\\\"a\\\"]", "[\\\"a\\\",\\\"b\\\"]");
        // same header length after the edit is not needed: lengths are re-read from the prefix, so rebuild it
        byte[] edited = rebuild(s.getBytes(StandardCharsets.ISO_8859_1));
        assertThatThrownBy(() -> read(edited, "w.safetensors", null))
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
    void nanRowsAreRejectedWithTheirToken() throws Exception {
        float[] v = sample().vectors().data().clone();
        v[7] = Float.NaN;
        EmbeddingTable bad = new EmbeddingTable(sample().tokens(), new FloatMatrix(4, 3, v));
        byte[] st = Safetensors.write(bad, Safetensors.DType.F32);
        assertThatThrownBy(() -> read(st, "n.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("row 2")
                .hasMessageContaining("quoted").hasMessageContaining("NaN");
        assertThatThrownBy(() -> read(Npy.write(bad.vectors()), "n.npy", sample().tokens()))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("row 2");
    }

    @Test
    void npyRoundTripsAndTruncatedOrCorruptNpyIsAClearError() throws Exception {
        Path file = dir.resolve("a.npy");
        TableFiles.write(file, sample());
        byte[] npy = Files.readAllBytes(file);
        assertThat(npy).isEqualTo(Npy.write(sample().vectors()));
        EmbeddingTable back = TableFiles.read(file, sample().tokens());
        assertThat(back.tokens()).isEqualTo(sample().tokens());
        assertThat(back.vectors().data()).isEqualTo(sample().vectors().data());
        List<String> vocabulary = sample().tokens();
        assertThatThrownBy(() -> read(Arrays.copyOf(npy, npy.length - 4), "a.npy", vocabulary))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("truncated");
        assertThatThrownBy(() -> read(Arrays.copyOf(npy, 20), "a.npy", vocabulary))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("truncated");
        byte[] notNpy = npy.clone();
        notNpy[1] = 'X';
        assertThatThrownBy(() -> read(notNpy, "a.npy", vocabulary)).isInstanceOf(TableFormatException.class)
                .hasMessageContaining("not a .npy");
        // the runtime's reader takes integer arrays as floats; what it cannot hold as a float table it refuses
        byte[] complex = new String(npy, StandardCharsets.ISO_8859_1).replace("<f4", "<c8")
                .getBytes(StandardCharsets.ISO_8859_1);
        assertThatThrownBy(() -> read(complex, "a.npy", vocabulary)).isInstanceOf(TableFormatException.class)
                .hasMessageContaining("'<c8' (complex) is not supported");
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
    void halfPrecisionTablesReadBackAsTheirNearestHalves() throws Exception {
        // 1 + 2^-11 is halfway between 1 and the next half; ties go to the even mantissa (1)
        EmbeddingTable t = new EmbeddingTable(List.of("a"), new FloatMatrix(1, 3, new float[] {1f + 0x1p-11f,
                65504f, 0x1p-24f}));
        assertThat(read(Safetensors.write(t, Safetensors.DType.F16), "h.safetensors", null).vectors().data())
                .containsExactly(1f, 65504f, 0x1p-24f);
        // 1e6 is beyond the largest half: it saturates to infinity, which a table may not hold
        EmbeddingTable big = new EmbeddingTable(List.of("a"), new FloatMatrix(1, 1, new float[] {1e6f}));
        assertThatThrownBy(() -> read(Safetensors.write(big, Safetensors.DType.F16), "i.safetensors", null))
                .isInstanceOf(TableFormatException.class).hasMessageContaining("Infinity");
        EmbeddingTable b = new EmbeddingTable(List.of("a"), new FloatMatrix(1, 2, new float[] {1f + 0x1p-8f, 3.140625f}));
        assertThat(read(Safetensors.write(b, Safetensors.DType.BF16), "b.safetensors", null).vectors().data())
                .containsExactly(1f, 3.140625f);
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
