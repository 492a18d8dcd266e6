package io.tokenlab.runtime.io;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.transplant.EmbeddingTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PortFilesTest {
    @Test
    void splitsLinesWithoutTheBreak() {
        assertThat(PortFiles.lines("a\r\nb\n\nc")).containsExactly("a", "b", "", "c");
        assertThat(PortFiles.lines("a\n")).containsExactly("a");
        assertThat(PortFiles.lines("")).isEmpty();
        assertThat(PortFiles.lines("tab\there\rkeeps lone CR\n")).containsExactly("tab\there\rkeeps lone CR");
    }

    @Test
    void linesReadFromUtf8BytesAreTheLinesOfTheDecodedText() throws Exception {
        java.util.Random random = new java.util.Random(7);
        String[] parts = {"a", "é", "日本", "🙂", "\n", "\r\n", "\r", " ", "\t", "word"};
        for (int trial = 0; trial < 500; trial++) {
            StringBuilder sb = new StringBuilder();
            for (int i = random.nextInt(30); i > 0; i--) {
                sb.append(parts[random.nextInt(parts.length)]);
            }
            String text = sb.toString();
            byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
            assertThat(PortFiles.utf8Lines(bytes)).as(text).isEqualTo(PortFiles.lines(text));
            assertThat(PortFiles.read(PortType.TEXT, bytes, "t", TextDecoding.FAIL, w -> { })).isEqualTo(PortFiles.lines(text));
        }
    }

    @Test
    void invalidUtf8StillGoesThroughTheReportingDecoder() throws Exception {
        byte[] bad = {'o', 'k', '\n', 'x', (byte) 0xff, 'y', '\n'};
        assertThat(PortFiles.utf8Lines(bad)).isNull();
        List<String> warnings = new java.util.ArrayList<>();
        assertThat(PortFiles.read(PortType.TEXT, bad, "in.txt", TextDecoding.REPLACE, warnings::add))
                .isEqualTo(List.of("ok", "x\uFFFDy"));
        assertThat(warnings).singleElement().asString().contains("in.txt: 1 byte that is not valid UTF-8")
                .contains("line 2");
        assertThatThrownBy(() -> PortFiles.read(PortType.TEXT, bad, "in.txt", TextDecoding.FAIL, w -> { }))
                .hasMessageContaining("line 2, 0xFF");
    }

    @Test
    @SuppressWarnings("unchecked")
    void idsAreWrittenAsTheirDecimalText() throws Exception {
        java.util.Random random = new java.util.Random(11);
        List<int[]> rows = new java.util.ArrayList<>();
        StringBuilder expected = new StringBuilder();
        for (int r = 0; r < 2000; r++) {
            int[] row = new int[random.nextInt(12)];
            for (int i = 0; i < row.length; i++) {
                row[i] = switch (random.nextInt(4)) {
                    case 0 -> random.nextInt(10);
                    case 1 -> random.nextInt(300_000);
                    case 2 -> random.nextInt();
                    default -> i % 2 == 0 ? Integer.MAX_VALUE : Integer.MIN_VALUE;
                };
                expected.append(i > 0 ? " " : "").append(row[i]);
            }
            expected.append('\n');
            rows.add(row);
        }
        assertThat(new String(PortFiles.encode(PortType.TOKEN_IDS, rows), StandardCharsets.US_ASCII))
                .isEqualTo(expected.toString());
    }

    @Test
    @SuppressWarnings("unchecked")
    void tokenIdsRoundTripAndBadIdsNameTheLine() throws Exception {
        byte[] bytes = PortFiles.encode(PortType.TOKEN_IDS, List.of(new int[] {1, 2, 3}, new int[0], new int[] {7}));
        assertThat(new String(bytes, StandardCharsets.US_ASCII)).isEqualTo("1 2 3\n\n7\n");
        List<int[]> back = (List<int[]>) PortFiles.read(PortType.TOKEN_IDS, new ByteArrayInputStream(bytes), "ids");
        assertThat(back.get(0)).containsExactly(1, 2, 3);
        assertThatThrownBy(() -> PortFiles.read(PortType.TOKEN_IDS,
                new ByteArrayInputStream("1 2\n3 x\n".getBytes(StandardCharsets.US_ASCII)), "ids.txt"))
                .hasMessageContaining("ids.txt:2: 'x' is not a token id");
    }

    @Test
    void safetensorsRoundTripsAnEmbeddingTable() throws Exception {
        EmbeddingTable t = new EmbeddingTable(List.of("a", "ĠThe", "\n"),
                new FloatMatrix(3, 2, new float[] {1, 2, 3, -4.5f, 0, Float.MIN_VALUE}));
        byte[] bytes = Safetensors.write(t);
        long header = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN).getLong(0);
        assertThat(header % 8).isZero();
        EmbeddingTable back = Safetensors.read(bytes, "t").embeddingTable("t");
        assertThat(back.tokens()).containsExactly("a", "ĠThe", "\n");
        assertThat(back.vectors().data()).containsExactly(t.vectors().data());
    }

    @Test
    void halfPrecisionDecodes() {
        assertThat(Safetensors.halfToFloat((short) 0x3c00)).isEqualTo(1f);
        assertThat(Safetensors.halfToFloat((short) 0xc000)).isEqualTo(-2f);
        assertThat(Safetensors.halfToFloat((short) 0x0001)).isEqualTo(5.9604645e-8f);
        assertThat(Safetensors.halfToFloat((short) 0x7c00)).isEqualTo(Float.POSITIVE_INFINITY);
    }

    @Test
    void truncatedSafetensorsIsAClearError() {
        assertThatThrownBy(() -> Safetensors.read(new byte[] {1, 0, 0, 0, 0, 0, 0, 0, '{'}, "x.safetensors")
                .tensor("features", "x.safetensors")).hasMessageContaining("x.safetensors");
    }

    @Test
    void writesAtomically(@org.junit.jupiter.api.io.TempDir Path dir) throws Exception {
        Path target = dir.resolve("out.txt");
        Files.writeString(target, "old");
        PortFiles.writeAtomically(target, "new".getBytes(StandardCharsets.UTF_8));
        assertThat(Files.readString(target)).isEqualTo("new");
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(target);
        }
    }
}
