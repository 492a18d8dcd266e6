package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.TransformerModel;
import io.tokenlab.plugin.lm.ngram.NgramModelProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The provider on real text with GPT-2's vocabulary: trains once, saves, loads, and compares with the n-gram model. */
class TransformerModelProviderTest {
    static Map<String, Object> tinySettings(Path file) {
        Map<String, Object> p = new HashMap<>();
        p.put("corpus", "linux-doc");
        p.put("transformer.corpus.bytes", 400_000);
        p.put("transformer.heldout.bytes", 30_000);
        p.put("transformer.dimension", 32);
        p.put("transformer.layers", 2);
        p.put("transformer.heads", 2);
        p.put("transformer.context", 32);
        p.put("transformer.steps", 40);
        p.put("transformer.batch", 4);
        p.put("transformer.file", file.toString());
        return p;
    }

    @Test
    void trainsOnceThenLoadsTheCheckpointAndReportsBothPerplexities(@TempDir Path dir) {
        RunContext context = RealRuns.context();
        Path file = dir.resolve("tiny.safetensors");
        Parameters params = Parameters.of(tinySettings(file));
        TransformerModelProvider provider = new TransformerModelProvider();
        provider.setNgram(new NgramModelProvider());
        @SuppressWarnings("unchecked")
        List<String> report = (List<String>) provider.apply(List.of(), params, context);
        assertThat(Files.isRegularFile(file)).isTrue();
        assertThat(String.join("\n", report)).contains("held-out perplexity").contains("transformer ")
                .contains("4-gram Kneser-Ney").contains(" wins");
        LanguageModel trained = provider.open(params, context);
        LanguageModel loaded = new TransformerModelProvider().open(params, context);
        assertThat(loaded).isNotSameAs(trained).isInstanceOf(TransformerModel.class);
        assertThat(loaded.vocabularySize()).isEqualTo(50257);
        int[] ids = {50256, 464, 9720};
        assertThat(loaded.logProbabilities(ids)).containsExactly(trained.logProbabilities(ids));
    }

    @Test
    void theAttentionAndPositionOptionsReachTheTrainedModelAndItsCheckpoint(@TempDir Path dir) {
        RunContext context = RealRuns.context();
        Map<String, Object> settings = tinySettings(dir.resolve("softplus.safetensors"));
        settings.put("transformer.heldout.bytes", 0);
        settings.put("transformer.steps", 5);
        settings.put("transformer.attention", "softplus");
        settings.put("transformer.attention.power", 2.0);
        settings.put("transformer.positions", "none");
        TransformerModelProvider provider = new TransformerModelProvider();
        TransformerLanguageModel trained = (TransformerLanguageModel) provider.open(Parameters.of(settings), context);
        TransformerLanguageModel loaded = (TransformerLanguageModel) new TransformerModelProvider()
                .open(Parameters.of(settings), context);
        for (TransformerLanguageModel model : List.of(trained, loaded)) {
            assertThat(model.config().attention()).isEqualTo(TransformerConfig.Attention.SOFTPLUS);
            assertThat(model.config().attentionPower()).isEqualTo(2f);
            assertThat(model.config().learnedPositions()).isFalse();
        }
        settings.put("transformer.attention", "sparsemax");
        assertThatThrownBy(() -> provider.open(Parameters.of(settings), context))
                .hasMessageContaining("'transformer.attention' is 'sparsemax'; accepted: softmax, softplus");
    }
}
