package io.tokenlab.plugin.tokenizer.trainer;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tokenlab.api.Progress;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

class SuperBpeTest {
    static final List<String> TRAINING = BpeTrainerTest.TRAINING;
    static final List<String> HELD_OUT = BpeTrainerTest.HELD_OUT;
    static final int V = 4096;

    @TempDir
    Path dir;

    @ParameterizedTest
    @ValueSource(strings = {"gpt2", "cl100k"})
    void transitionAtTheFullSizeIsPlainBpeExactly(String preTokenizer) {
        List<String> part = TRAINING.subList(0, TRAINING.size() / 2);
        BpeTraining.Settings s = new BpeTraining.Settings(2048, 2, 2, List.of("<|endoftext|>"),
                PreTokenization.named(preTokenizer));
        String bpe = TokenizerJsonWriter.toJson(BpeTraining.bpe(part, s, Progress.NONE));
        String superBpe = TokenizerJsonWriter.toJson(BpeTraining.superBpe(part, s, 2048, 4, Progress.NONE));
        assertThat(superBpe).isEqualTo(bpe);
    }

    /** The acceptance at V = 32k (the script runs it on 50 MB; 12 MB of linux-doc here). */
    @Test
    void beatsBpeAt32kForEveryTestedTransitionBelowTheFullSize() {
        List<String> training = Corpus.training(12_000_000);
        BpeTraining.Settings s = new BpeTraining.Settings(32_000, 2, 2, List.of("<|endoftext|>"), PreTokenization.CL100K);
        double bpe = Corpus.bytesPerToken(BpeTraining.bpe(training, s, Progress.NONE), HELD_OUT);
        for (int t : new int[] {8000, 16000, 24000}) {
            double superBpe = Corpus.bytesPerToken(BpeTraining.superBpe(training, s, t, 4, Progress.NONE), HELD_OUT);
            assertThat(superBpe).as("held-out bytes/token of SuperBPE t=%d against BPE's %.4f", t, bpe)
                    .isGreaterThan(bpe * 1.05);
        }
    }

    @Test
    void beatsBpeOnHeldOutTextKeepsTheStageOneMergesAndTheLimits() throws Exception {
        BpeTraining.Settings s = BpeTrainerTest.settings(V, 2);
        TrainedBpe bpe = BpeTraining.bpe(TRAINING, s, Progress.NONE);
        TrainedBpe superBpe = BpeTraining.superBpe(TRAINING, s, 3072, 4, Progress.NONE);
        assertThat(superBpe.vocabularySize()).isEqualTo(V);
        int stageOne = 3072 - 1 - 256;
        for (int i = 0; i < stageOne; i++) {
            assertThat(superBpe.merges().get(i)).as("stage-1 merge %d", i).containsExactly(bpe.merges().get(i));
        }
        int superwords = 0;
        for (byte[] token : superBpe.tokens()) {
            String text = new String(token, java.nio.charset.StandardCharsets.UTF_8);
            assertThat(text).doesNotContain(": ");
            assertThat(BpeTraining.wordCount(token)).isLessThanOrEqualTo(4);
            if (text.strip().contains(" ")) {
                superwords++;
            }
        }
        assertThat(superwords).as("tokens with an inner space").isGreaterThan(100);
        double bpeBytesPerToken = Corpus.bytesPerToken(bpe, HELD_OUT);
        double superBytesPerToken = Corpus.bytesPerToken(superBpe, HELD_OUT);
        assertThat(superBytesPerToken).isGreaterThan(bpeBytesPerToken * 1.03);

        Path file = dir.resolve("superbpe.json");
        TokenizerJsonWriter.write(superBpe, file);
        Tokenizer plugin = BpeTechnique.openFile("superbpe", file, superBpe.specialTokens());
        List<String> texts = new ArrayList<>(HELD_OUT.subList(0, 2000));
        texts.addAll(List.of("of the  kernel: it is 1234567 and", "   spaced   out  ", "a/b//c\nnext line"));
        try (HuggingFaceTokenizer hf = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            for (String text : texts) {
                int[] ours = superBpe.encode(text);
                assertThat(plugin.encode(text)).as("tokenizer/bpe on %s", text).isEqualTo(ours);
                int[] reference = Arrays.stream(hf.encode(text, false, false).getIds()).mapToInt(v -> (int) v).toArray();
                assertThat(reference).as("Hugging Face on %s", text).isEqualTo(ours);
                assertThat(superBpe.decode(ours)).isEqualTo(text);
            }
        }
    }

    @Test
    void limitsRefuseColonSpaceAndLongSpans() {
        MergeEngine.TokenFilter limits = BpeTraining.superwordLimits(4);
        assertThat(limits.allows(ByteLevel.utf8(" of the"))).isTrue();
        assertThat(limits.allows(ByteLevel.utf8(" one two three four"))).isTrue();
        assertThat(limits.allows(ByteLevel.utf8(" one two three four five"))).isFalse();
        assertThat(limits.allows(ByteLevel.utf8("note: x"))).isFalse();
        assertThat(limits.allows(ByteLevel.utf8("a:b"))).isTrue();
    }
}
