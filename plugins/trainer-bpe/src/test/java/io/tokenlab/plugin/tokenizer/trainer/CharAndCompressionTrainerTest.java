package io.tokenlab.plugin.tokenizer.trainer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CharAndCompressionTrainerTest {
    @TempDir
    Path dir;

    @Test
    void characterBpeKeepsTokensShortAndTheVocabularyAPowerOfTwo() throws Exception {
        Path file = dir.resolve("char.json");
        Tokenizer t = new CharBpeTrainerTechnique().train(Corpus.training(1_000_000),
                Parameters.of(Map.of("vocab.size", 2048, "max.chars", 3, "threads", 2)), new KitContext(null), file);
        assertThat(t.vocabularySize()).isEqualTo(2048);
        TrainedBpe bpe = (TrainedBpe) t;
        for (byte[] token : bpe.tokens()) {
            assertThat(ByteLevel.characterCount(token)).isLessThanOrEqualTo(3);
        }
        assertThat(bpe.tokens().stream().filter(x -> ByteLevel.characterCount(x) == 3).count()).isGreaterThan(200);
        assertThat(t.specialTokens()).containsAll(CharBpeTrainerTechnique.KL3M_SPECIALS);
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            for (String text : Corpus.heldOut(20_000)) {
                int[] reference = Arrays.stream(hf.encode(text, false, false).getIds()).mapToInt(v -> (int) v).toArray();
                assertThat(reference).isEqualTo(t.encode(text));
            }
        }
        assertThatThrownBy(() -> new CharBpeTrainerTechnique().train(List.of("x"),
                Parameters.of(Map.of("vocab.size", 3000)), new KitContext(null), file)).hasMessageContaining("3000");
    }

    @Test
    void charBpeIsPaddedWithReservedTokensWhenMergesRunOut() {
        Tokenizer t = new CharBpeTrainerTechnique().train(List.of("abc abd abe", "abc abd"),
                Parameters.of(Map.of("vocab.size", 512, "min.frequency", 1)), new KitContext(null), dir.resolve("tiny.json"));
        assertThat(t.vocabularySize()).isEqualTo(512);
        assertThat(t.specialTokens()).contains("<|reserved_0|>");
    }

    @Test
    void compressionAwareMergesCompressTheValidationAndTestStreamsBetterThanFrequencyBpe() {
        List<String> corpus = Corpus.training(400_000);
        List<String> test = Corpus.heldOut(100_000);
        BpeTraining.Settings settings = new BpeTraining.Settings(512, 2, 2, List.of());
        TrainedBpe aware = CompressionBpeTrainerTechnique.train(corpus, settings, 8, 10, 40_000, new KitContext(null));
        // frequency BPE on exactly the training lines the compression-aware trainer used
        List<String> trainingLines = new java.util.ArrayList<>();
        List<String> validation = new java.util.ArrayList<>();
        for (int i = 0; i < corpus.size(); i++) {
            (i % 10 == 9 ? validation : trainingLines).add(corpus.get(i));
        }
        TrainedBpe frequency = BpeTraining.bpe(trainingLines, settings, Progress.NONE);
        assertThat(aware.merges()).isNotEqualTo(frequency.merges());
        assertThat(deflatedSize(aware, test)).isLessThan(deflatedSize(frequency, test));
    }

    /** DEFLATE size of the ids of the text, two bytes per id. */
    static long deflatedSize(Tokenizer t, List<String> lines) {
        java.io.ByteArrayOutputStream raw = new java.io.ByteArrayOutputStream();
        for (String line : lines) {
            for (int id : t.encode(line)) {
                raw.write(id >>> 8);
                raw.write(id);
            }
        }
        java.util.zip.Deflater d = new java.util.zip.Deflater(java.util.zip.Deflater.DEFAULT_COMPRESSION, true);
        d.setInput(raw.toByteArray());
        d.finish();
        byte[] buf = new byte[1 << 16];
        long n = 0;
        while (!d.finished()) {
            n += d.deflate(buf);
        }
        return n;
    }
}
