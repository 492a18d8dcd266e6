package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.plugin.lm.ngram.NgramModelProvider;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One tiny transformer over GPT-2 ids trained by the provider once per test JVM (a few seconds), so the
 * tests of the techniques that run on it share its training; the settings are what a pipeline stage
 * passes through with {@code model: transformer}.
 */
public final class TinyTrained {
    private static Map<String, Object> settings;
    private static TransformerModelProvider provider;

    private TinyTrained() {
    }

    /** The stage settings that select and configure the tiny transformer; add the technique's own. */
    public static synchronized Map<String, Object> settings() {
        if (settings == null) {
            try {
                Path dir = Files.createTempDirectory("tiny-transformer");
                dir.toFile().deleteOnExit();
                Map<String, Object> s = new HashMap<>(TransformerModelProviderTest.tinySettings(dir.resolve("tiny.safetensors")));
                s.put("transformer.heldout.bytes", 0);
                s.put("model", "transformer");
                // 64 tokens of context so DHSA has query blocks to work with; batch 2 keeps the tokens per step
                s.put("transformer.context", 64);
                s.put("transformer.batch", 2);
                settings = s;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        }
        return new HashMap<>(settings);
    }

    public static synchronized LanguageModelProvider provider() {
        if (provider == null) {
            provider = new TransformerModelProvider();
            provider.setNgram(new NgramModelProvider());
        }
        return provider;
    }

    public static Map<String, Object> properties() {
        return Map.of(LanguageModelProvider.MODEL, "transformer");
    }

    public static RunContext context() {
        return RealRuns.context();
    }

    public static LanguageModel model() {
        return provider().open(Parameters.of(settings()), context());
    }

    /** A second tiny transformer: another seed, fewer steps, so it disagrees with the first. */
    public static LanguageModel other() {
        Map<String, Object> s = settings();
        s.put("transformer.steps", 10);
        s.put("transformer.seed", 7L);
        s.put("transformer.file", s.get("transformer.file").toString().replace("tiny.safetensors", "other.safetensors"));
        return provider().open(Parameters.of(s), context());
    }
}
