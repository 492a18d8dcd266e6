package io.tokenlab.plugin.tokenizer.bpe;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;
import com.knuddels.jtokkit.api.EncodingType;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

/** Identical ids to jtokkit (a faithful Java port of tiktoken) on real English and on every UDHR language. */
class TiktokenParityTest {
    private static final EncodingRegistry REGISTRY = Encodings.newDefaultEncodingRegistry();
    private static final int CORPUS_BYTES = 20 * 1024 * 1024;

    @ParameterizedTest
    @CsvSource({"cl100k_base, CL100K_BASE", "o200k_base, O200K_BASE", "p50k_base, P50K_BASE", "r50k_base, R50K_BASE"})
    void twentyMegabytesOfLinuxDocumentation(String vocabulary, EncodingType type) {
        Tokenizer ours = TestData.open(vocabulary);
        Encoding reference = REGISTRY.getEncoding(type);
        List<String> chunks = chunks(TestData.linuxDoc(), CORPUS_BYTES);
        long bytes = 0;
        long tokens = 0;
        for (int i = 0; i < chunks.size(); i++) {
            String chunk = chunks.get(i);
            int[] expected = reference.encodeOrdinary(chunk).toArray();
            int[] actual = ours.encode(chunk);
            assertSame(vocabulary + " linux-doc chunk " + i, chunk, expected, actual);
            bytes += chunk.getBytes(StandardCharsets.UTF_8).length;
            tokens += actual.length;
        }
        assertThat(bytes).isGreaterThanOrEqualTo(CORPUS_BYTES);
        assertThat(tokens).isGreaterThan(bytes / 8);
    }

    @ParameterizedTest
    @CsvSource({"cl100k_base, CL100K_BASE", "o200k_base, O200K_BASE", "p50k_base, P50K_BASE", "r50k_base, R50K_BASE"})
    void everyUdhrLanguage(String vocabulary, EncodingType type) {
        Tokenizer ours = TestData.open(vocabulary);
        Encoding reference = REGISTRY.getEncoding(type);
        List<String> texts = TestData.udhr();
        assertThat(texts).hasSizeGreaterThan(500);
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            assertSame(vocabulary + " udhr #" + i, text, reference.encodeOrdinary(text).toArray(), ours.encode(text));
        }
    }

    @Test
    void gpt2FilesAreR50k() {
        Tokenizer gpt2 = TestData.open("gpt2");
        Tokenizer r50k = TestData.open("r50k_base");
        assertThat(gpt2.vocabularySize()).isEqualTo(r50k.vocabularySize());
        for (int id = 0; id < r50k.vocabularySize(); id++) {
            assertThat(gpt2.tokenBytes(id)).as("token %d", id).isEqualTo(r50k.tokenBytes(id));
        }
        for (String text : TestData.udhr().subList(0, 100)) {
            assertThat(gpt2.encode(text)).isEqualTo(r50k.encode(text));
        }
        for (String chunk : chunks(TestData.linuxDoc(), 2 * 1024 * 1024)) {
            assertThat(gpt2.encode(chunk)).isEqualTo(r50k.encode(chunk));
        }
    }

    /** Chunks of about 64 KB cut after a line break, covering the first {@code bytes} of the text. */
    static List<String> chunks(String text, int bytes) {
        List<String> out = new ArrayList<>();
        int start = 0;
        long taken = 0;
        while (start < text.length() && taken < bytes) {
            int end = text.indexOf('\n', Math.min(text.length(), start + 65536));
            end = end < 0 ? text.length() : end + 1;
            String chunk = text.substring(start, end);
            out.add(chunk);
            taken += chunk.getBytes(StandardCharsets.UTF_8).length;
            start = end;
        }
        return out;
    }

    static void assertSame(String what, String text, int[] expected, int[] actual) {
        if (Arrays.equals(expected, actual)) {
            return;
        }
        int i = 0;
        while (i < Math.min(expected.length, actual.length) && expected[i] == actual[i]) {
            i++;
        }
        fail(what + ": first difference at token " + i + ": expected "
                + Arrays.toString(Arrays.copyOfRange(expected, Math.max(0, i - 3), Math.min(expected.length, i + 5)))
                + " but was " + Arrays.toString(Arrays.copyOfRange(actual, Math.max(0, i - 3), Math.min(actual.length, i + 5)))
                + " (text starts: " + text.substring(0, Math.min(120, text.length())).replace("\n", "\\n") + ")");
    }
}
