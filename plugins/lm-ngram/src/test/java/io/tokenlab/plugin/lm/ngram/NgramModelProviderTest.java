package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.lm.LanguageModel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

class NgramModelProviderTest {
    @Test
    void trainsOnceThenLoadsTheSavedModel(@TempDir Path dir) {
        RunContext context = RealText.context();
        Path file = dir.resolve("small.tlng");
        Parameters params = Parameters.of(Map.of("corpus", "linux-doc", "corpus.bytes", 300_000, "order", 3,
                "model.file", file.toString()));
        LanguageModel trained = new NgramModelProvider().open(params, context);
        assertThat(Files.isRegularFile(file)).isTrue();
        LanguageModel loaded = new NgramModelProvider().open(params, context);
        assertThat(loaded).isNotSameAs(trained);
        assertThat(loaded.vocabularySize()).isEqualTo(50257);
        int[] context1 = RealText.gpt2(context).encode("The kernel");
        assertThat(loaded.logProbabilities(context1)).containsExactly(trained.logProbabilities(context1));
        assertThat(((NgramModel) loaded).tokenizerId()).isEqualTo("tokenizer/bpe gpt2");
    }
}
