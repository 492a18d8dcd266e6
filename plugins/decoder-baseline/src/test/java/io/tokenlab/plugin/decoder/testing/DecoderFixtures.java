package io.tokenlab.plugin.decoder.testing;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.plugin.lm.ngram.NgramModel;
import io.tokenlab.plugin.lm.ngram.NgramModelFile;
import io.tokenlab.plugin.lm.ngram.NgramTrainer;
import io.tokenlab.plugin.tokenizer.bpe.BpeTechnique;
import io.tokenlab.plugin.tokenizer.bytes.ByteTokenizerTechnique;
import io.tokenlab.runtime.data.FileCatalog;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Real fixtures for decoder tests: the project's data directory (linux-doc, GPT-2's vocabulary),
 * the real tokenizers, and small n-gram models trained on the corpus. Trained models are cached in
 * the temporary directory, so the decoder modules' test runs train each one once.
 */
public final class DecoderFixtures {
    private static final Map<String, NgramModel> MODELS = new ConcurrentHashMap<>();

    private DecoderFixtures() {
    }

    public static Path dataDirectory() {
        return Path.of(System.getProperty("tokenlab.root", "../.."), "data");
    }

    public static RunContext context() {
        return new KitContext(null, new FileCatalog(dataDirectory()),
                Map.of("tokenizer/bpe", new BpeTechnique(), "tokenizer/bytes", new ByteTokenizerTechnique()));
    }

    public static Tokenizer gpt2() {
        return new BpeTechnique().open(Parameters.of(Map.of("vocabulary", "gpt2")), context());
    }

    /** The tokenizer-bytes vocabulary with ByT5 ids (259 ids, {@code </s>} ends documents). */
    public static Tokenizer bytes() {
        return new ByteTokenizerTechnique().open(Parameters.empty(), context());
    }

    /** Documents of linux-doc (every 10th file held out for evaluation), up to the given characters. */
    public static List<String> documents(boolean heldOut, long characters) {
        try {
            List<Path> files = NgramTrainer.corpusFiles(context().data().fetch("linux-doc"));
            List<String> out = new ArrayList<>();
            long total = 0;
            for (int i = 0; i < files.size() && total < characters; i++) {
                if ((i % 10 == 9) == heldOut) {
                    String text = NgramTrainer.readDocument(files.get(i), 100_000);
                    out.add(text);
                    total += text.length();
                }
            }
            return out;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** An n-gram model over the tokenizer's ids trained on {@code characters} of linux-doc. */
    public static NgramModel model(String name, Tokenizer tokenizer, int order, long characters) {
        return MODELS.computeIfAbsent(name + "-" + order + "-" + characters, key -> {
            Path file = Path.of(System.getProperty("java.io.tmpdir"), "tokenlab-test-models", key + ".tlng");
            try {
                if (Files.isRegularFile(file)) {
                    NgramModel m = NgramModelFile.read(file);
                    if (m.vocabularySize() == tokenizer.vocabularySize()) {
                        return m;
                    }
                }
                NgramModel m = new NgramTrainer(tokenizer, name, order, 50_000_000, 2)
                        .trainOnTexts(documents(false, characters));
                NgramModelFile.write(m, file);
                return m;
            } catch (IOException e) {
                throw new UncheckedIOException(e);
            }
        });
    }

    /** GPT-2 ids, order 4, 1.5 MB of linux-doc: the standard real model of the decoder tests. */
    public static NgramModel gpt2Model() {
        return model("gpt2", gpt2(), 4, 1_500_000);
    }

    /** Prompts cut from held-out documents: the first {@code words} words of paragraphs. */
    public static List<String> prompts(int count, int words) {
        List<String> out = new ArrayList<>();
        for (String doc : documents(true, 2_000_000)) {
            for (String paragraph : doc.split("\n\\s*\n")) {
                String[] w = paragraph.trim().split("\\s+");
                if (w.length >= words + 4 && Character.isLetter(w[0].charAt(0))) {
                    out.add(String.join(" ", java.util.Arrays.copyOf(w, words)));
                    if (out.size() == count) {
                        return out;
                    }
                }
            }
        }
        return out;
    }
}
