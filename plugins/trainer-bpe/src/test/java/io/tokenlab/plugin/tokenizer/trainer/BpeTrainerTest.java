package io.tokenlab.plugin.tokenizer.trainer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class BpeTrainerTest {
    static final List<String> TRAINING = Corpus.training(2_000_000);
    static final List<String> HELD_OUT = Corpus.heldOut(200_000);

    @TempDir
    Path dir;

    static BpeTraining.Settings settings(int size, int threads) {
        return new BpeTraining.Settings(size, 2, threads, List.of("<|endoftext|>"));
    }

    @Test
    void incrementalCountsMakeTheSameMergesAsRecountingEveryTime() {
        List<String> small = Corpus.training(60_000);
        List<int[]> expected = Reference.merges(small, 400);
        TrainedBpe trained = BpeTraining.bpe(small, new BpeTraining.Settings(256 + 400 + 1, 1, 2,
                List.of("<|endoftext|>")), Progress.NONE);
        assertThat(trained.merges()).hasSize(400);
        for (int i = 0; i < 400; i++) {
            assertThat(trained.merges().get(i)).as("merge %d", i).containsExactly(expected.get(i));
        }
    }

    @Test
    void threadCountDoesNotChangeTheResult() {
        List<String> part = TRAINING.subList(0, TRAINING.size() / 4);
        String one = TokenizerJsonWriter.toJson(BpeTraining.bpe(part, settings(2000, 1), Progress.NONE));
        String four = TokenizerJsonWriter.toJson(BpeTraining.bpe(part, settings(2000, 4), Progress.NONE));
        assertThat(four).isEqualTo(one);
    }

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "cl100k"})
    void writesATokenizerJsonThatTheBpePluginAndHuggingFaceEncodeIdentically(String preTokenizer) throws Exception {
        Path file = dir.resolve("tokenizer.json");
        Tokenizer trained = new BpeTrainerTechnique().train(TRAINING,
                Parameters.of(Map.of("vocab.size", 4096, "threads", 2, "pre.tokenizer", preTokenizer)),
                new KitContext(null), file);
        assertThat(trained.vocabularySize()).isEqualTo(4096);
        Tokenizer plugin = BpeTechnique.openFile("trained", file, trained.specialTokens());
        assertThat(plugin.vocabularySize()).isEqualTo(4096);
        List<String> texts = new ArrayList<>(HELD_OUT);
        texts.addAll(List.of(" leading", "two  spaces", "trailing  ", "\ttab\t\tx", "Straße naïve 日本語 🙂",
                "a<|endoftext|>b", "it's 12345 they'll", "IT'S (x) .method_name\r\n  next", "x=1234567;\n\n\ty"));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            for (String text : texts) {
                int[] ours = trained.encode(text, trained.specialTokens());
                assertThat(plugin.encode(text, plugin.specialTokens())).as("tokenizer/bpe on %s", text).isEqualTo(ours);
                int[] reference = Arrays.stream(hf.encode(text, false, false).getIds()).mapToInt(v -> (int) v).toArray();
                assertThat(reference).as("Hugging Face on %s", text).isEqualTo(ours);
                assertThat(trained.decode(ours)).isEqualTo(text);
            }
        }
        // a 4k English vocabulary compresses English well beyond bytes, and more with more merges
        double at4k = Corpus.bytesPerToken(trained, HELD_OUT);
        double at1k = Corpus.bytesPerToken(BpeTraining.bpe(TRAINING, new BpeTraining.Settings(1024, 2, 2,
                List.of("<|endoftext|>"), PreTokenization.named(preTokenizer)), Progress.NONE), HELD_OUT);
        assertThat(at1k).isGreaterThan(2.0);
        assertThat(at4k).isGreaterThan(at1k * 1.15);
    }

    @Test
    void minimumFrequencyStopsTraining() {
        List<String> part = Corpus.training(50_000);
        TrainedBpe trained = BpeTraining.bpe(part, new BpeTraining.Settings(20_000, 50, 2, List.of()), Progress.NONE);
        assertThat(trained.vocabularySize()).isLessThan(20_000).isGreaterThan(256);
        // the last merge still had 50 occurrences: recounting its pair in the corpus as merged so far shows it
        int[] last = trained.merges().get(trained.merges().size() - 1);
        TrainedBpe before = new TrainedBpe(trained.tokens(), trained.merges().subList(0, trained.merges().size() - 1),
                PreTokenization.GPT2, List.of());
        long occurrences = 0;
        for (String line : part) {
            int start = 0;
            for (int end : PreTokenization.GPT2.pieceEnds(line, 0, line.length())) {
                int[] ids = before.encodePiece(line.substring(start, end));
                for (int i = 0; i + 1 < ids.length; i++) {
                    if (ids[i] == last[0] && ids[i + 1] == last[1]) {
                        occurrences++;
                        i++;
                    }
                }
                start = end;
            }
        }
        assertThat(occurrences).isGreaterThanOrEqualTo(50);
    }

    @Test
    void utf8LengthIsTheEncodedLength() {
        for (String s : List.of("", "ascii", "Straße", "日本語", "🙂x", "\uD83D", "a\uDE00b", "\uDE00\uD83D", "z\uD83D")) {
            assertThat(ByteLevel.utf8Length(s)).as(s).isEqualTo(ByteLevel.utf8(s).length);
        }
    }

    @Test
    void anUnknownPreTokenizerIsRefusedNamingTheAcceptedOnes() {
        assertThatThrownBy(() -> new BpeTrainerTechnique().train(TRAINING.subList(0, 10),
                Parameters.of(Map.of("vocab.size", 300, "pre.tokenizer", "gpt3")), new KitContext(null), dir.resolve("x.json")))
                .hasMessageContaining("gpt3").hasMessageContaining("gpt2, cl100k");
        assertThat(dir.resolve("x.json")).doesNotExist();
    }

    @Test
    void pipelineStageReturnsTheLinesOfTokenizerJson() throws Exception {
        @SuppressWarnings("unchecked")
        List<String> lines = (List<String>) new BpeTrainerTechnique().apply(TRAINING.subList(0, 2000),
                Parameters.of(Map.of("vocab.size", 600)), new KitContext(null));
        Path file = dir.resolve("from-stage.json");
        Files.writeString(file, String.join("\n", lines) + "\n");
        Tokenizer t = BpeTechnique.openFile("stage", file, java.util.Set.of());
        assertThat(t.vocabularySize()).isEqualTo(600);
        assertThat(t.decode(t.encode("The kernel boots."))).isEqualTo("The kernel boots.");
    }
}
