package io.tokenlab.runtime.io;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.testkit.Fuzz;
import io.tokenlab.api.transplant.EmbeddingTable;
import org.junit.jupiter.api.Test;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Mutants of valid token-set, embedding and image files, read the way {@code --input} reads them: each
 * is read or refused with an IOException naming the file, in bounded time; nothing else escapes.
 * Fixed seeds; the counts keep this class to a few seconds.
 */
class ReaderFuzzTest {
    private static final Duration PER_CASE = Duration.ofSeconds(10);

    private static Fuzz.Report fuzz(String what, PortType type, String name, byte[] valid, long seed, int cases) {
        Fuzz.Report r = Fuzz.run(what, valid, seed, cases, PER_CASE,
                bytes -> PortFiles.read(type, new ByteArrayInputStream(bytes), name), Fuzz.refusal(IOException.class, name));
        // a fuzz run that never gets past the first check explores nothing
        assertThat(r.refused()).as("mutants refused").isGreaterThan(cases / 10);
        return r;
    }

    private static float[] values(int n, long seed) {
        SplittableRandom rnd = new SplittableRandom(seed);
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = (float) rnd.nextGaussian();
        }
        return v;
    }

    @Test
    void npyTokenSets() {
        byte[] valid = Npy.write(new FloatMatrix(12, 6, values(72, 1)));
        fuzz("npy", PortType.TOKEN_SET, "in.npy", valid, 20250101L, 4000);
    }

    @Test
    void safetensorsTokenSets() {
        float[] features = values(72, 2);
        java.nio.ByteBuffer data = java.nio.ByteBuffer.allocate(72 * 4 + 12 * 2).order(java.nio.ByteOrder.LITTLE_ENDIAN);
        data.asFloatBuffer().put(features);
        data.position(72 * 4);
        for (int i = 0; i < 12; i++) {
            data.putShort((short) (Float.floatToIntBits(i / 12f) >>> 16)); // bfloat16: the high half of a float
        }
        byte[] valid = SafetensorsTest.file("{\"__metadata__\":{\"format\":\"pt\"},"
                + "\"features\":{\"dtype\":\"F32\",\"shape\":[12,6],\"data_offsets\":[0,288]},"
                + "\"scores\":{\"dtype\":\"BF16\",\"shape\":[12],\"data_offsets\":[288,312]}}", data.array());
        fuzz("safetensors token set", PortType.TOKEN_SET, "in.safetensors", valid, 20250102L, 3000);
    }

    @Test
    void safetensorsEmbeddings() throws IOException {
        List<String> tokens = new ArrayList<>(List.of("a", "ĠThe", "\n", "\"q\"", "日本"));
        byte[] valid = Safetensors.write(new EmbeddingTable(tokens, new FloatMatrix(5, 4, values(20, 3))));
        fuzz("safetensors embeddings", PortType.EMBEDDINGS, "in.safetensors", valid, 20250103L, 3000);
    }

    @Test
    void pngImages() throws IOException {
        byte[] valid = ImagesTest.encode(ImagesTest.picture(48, 40), "png");
        fuzz("png", PortType.IMAGE, "in.png", valid, 20250104L, 1500);
    }

    @Test
    void jpegImages() throws IOException {
        byte[] valid = ImagesTest.encode(ImagesTest.picture(48, 40), "jpg");
        fuzz("jpeg", PortType.IMAGE, "in.jpg", valid, 20250105L, 1500);
    }
}
