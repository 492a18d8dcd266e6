package io.tokenlab.plugin.lm.ngram;

import io.tokenlab.api.CorpusLocation;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The embedded default language model ({@code tokenlab.model=ngram}): opens the n-gram model for the
 * given tokenizer, corpus and order from its file in the data directory, training and saving it the
 * first time. Decoders find this service by interface and property, never by class.
 *
 * <p>It reads the decoder stage's parameters: {@code tokenizer} and {@code vocabulary} (the stage's
 * own), and the model's settings in {@link Config}, which the runtime checks and lists for every
 * stage whose {@code model} is {@code ngram}, so no decoder declares them.
 */
@Component(service = LanguageModelProvider.class, property = {
        LanguageModelProvider.MODEL + "=ngram",
        "tokenlab.parameters.files=corpus",
        "tokenlab.parameters.files=model.file",
        "tokenlab.description=Interpolated modified Kneser-Ney n-gram model (Chen and Goodman 1998) over the ids "
                + "of any tokenizer, trained here on a corpus from the data catalog and cached in the data directory."})
@Designate(ocd = NgramModelProvider.Config.class)
public final class NgramModelProvider implements LanguageModelProvider {
    public static final String DEFAULT_TOKENIZER = "tokenizer/bpe";
    public static final String DEFAULT_VOCABULARY = "gpt2";
    public static final String DEFAULT_CORPUS = "linux-doc";
    public static final long DEFAULT_CORPUS_BYTES = 8_000_000;
    public static final int DEFAULT_ORDER = 4;
    public static final long DEFAULT_MAX_NGRAMS = 30_000_000;

    @ObjectClassDefinition(name = "ngram", description = "Settings of the n-gram language model.")
    public @interface Config {
        @AttributeDefinition(description = "n-gram model: data set or path it is trained on the first time.")
        String corpus() default DEFAULT_CORPUS;

        @AttributeDefinition(description = "n-gram model: bytes of the corpus to train on.", min = "1000")
        long corpus_bytes() default DEFAULT_CORPUS_BYTES;

        @AttributeDefinition(description = "n-gram model: order.", min = "1", max = "8")
        int order() default DEFAULT_ORDER;

        // about 36 bytes each while counting
        @AttributeDefinition(description = "n-gram model: most n-grams kept while counting (the memory bound).",
                min = "1000")
        long max_ngrams() default DEFAULT_MAX_NGRAMS;

        @AttributeDefinition(description = "n-gram model: file to load or save; empty picks one in the data directory.")
        String model_file() default "";
    }

    /** Opened models by file: a model is loaded (or trained) once per runtime, whatever the number of runs. */
    private final Map<Path, NgramModel> models = new ConcurrentHashMap<>();
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();

    @Override
    public LanguageModel open(Parameters parameters, RunContext context) {
        String tokenizerName = parameters.string("tokenizer", DEFAULT_TOKENIZER);
        String vocabulary = parameters.string("vocabulary", DEFAULT_VOCABULARY);
        Config c = parameters.as(Config.class);
        String corpus = c.corpus();
        long corpusBytes = c.corpus_bytes();
        int order = c.order();
        long maxNgrams = c.max_ngrams();
        String modelFile = c.model_file();
        if (order < 1 || order > 8) {
            throw new TechniqueException("parameter 'order': " + order + " is outside 1..8");
        }
        Tokenizer tokenizer = openTokenizer(tokenizerName, vocabulary, context);
        String tokenizerId = tokenizerName + " " + vocabulary;

        Path corpusPath = modelFile.isBlank() || !Files.exists(Path.of(modelFile)) ? CorpusLocation.resolve("corpus", corpus, context) : null;
        Path file = modelFile.isBlank()
                ? CorpusLocation.dataDirectoryOf(corpusPath, corpus).resolve("models").resolve(fileName(tokenizerId, corpus, order,
                corpusBytes, maxNgrams))
                : Path.of(modelFile);
        Path key = file.toAbsolutePath().normalize();
        NgramModel cached = models.get(key);
        if (cached == null) {
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                cached = models.get(key);
                if (cached == null) {
                    cached = loadOrTrain(key, tokenizer, tokenizerId, corpus, corpusPath, corpusBytes, order, maxNgrams,
                            context);
                    models.put(key, cached);
                }
            }
        }
        if (cached.vocabularySize() != tokenizer.vocabularySize()) {
            throw new TechniqueException("n-gram model " + key + " has " + cached.vocabularySize()
                    + " ids but tokenizer " + tokenizerId + " has " + tokenizer.vocabularySize()
                    + "; delete the file or choose the tokenizer it was trained with (" + cached.tokenizerId() + ")");
        }
        return cached;
    }

    static Tokenizer openTokenizer(String tokenizerName, String vocabulary, RunContext context) {
        TokenizerTechnique technique = context.technique(TokenizerTechnique.class, tokenizerName)
                .orElseThrow(() -> new TechniqueException("the n-gram model needs tokenizer '" + tokenizerName
                        + "', which is not installed"));
        return technique.open(Parameters.of(Map.of("vocabulary", vocabulary)), context);
    }



    static String fileName(String tokenizerId, String corpus, int order, long corpusBytes, long maxNgrams) {
        String base = String.join("-", "ngram", tokenizerId, Path.of(corpus).getFileName().toString(), "o" + order,
                corpusBytes + "b", maxNgrams + "max");
        return base.toLowerCase(Locale.ROOT).replaceAll("[^a-z0-9._-]+", "_") + ".tlng";
    }

    private static NgramModel loadOrTrain(Path file, Tokenizer tokenizer, String tokenizerId, String corpus, Path corpusPath,
                                          long corpusBytes, int order, long maxNgrams, RunContext context) {
        if (Files.isRegularFile(file)) {
            try {
                NgramModel model = NgramModelFile.read(file);
                context.note("n-gram model: loaded " + model + " from " + file.getFileName());
                return model;
            } catch (IOException e) {
                context.note("n-gram model: " + e.getMessage() + "; training it again");
            }
        }
        if (corpusPath == null) {
            throw new TechniqueException("parameter 'model.file': " + file + " cannot be read and no corpus to train on");
        }
        try {
            NgramTrainer trainer = new NgramTrainer(tokenizer, tokenizerId, order, maxNgrams,
                    Math.max(1, Runtime.getRuntime().availableProcessors()));
            NgramTrainer.Report report = trainer.trainOnFiles(NgramTrainer.corpusFiles(corpusPath), corpusBytes,
                    context.progress());
            NgramModelFile.write(report.model(), file);
            context.note(String.format(Locale.ROOT, "n-gram model: trained order %d on %.1f MB of %s (%d tokens) in %.1f s"
                            + "%s; saved to %s", order, report.bytes() / 1e6, corpus, report.model().trainingTokens(),
                    report.seconds(), report.prunedNgrams() > 0 ? ", pruned " + report.prunedNgrams() + " rare n-grams" : "",
                    file));
            return report.model();
        } catch (IOException e) {
            throw new TechniqueException("n-gram model: cannot train or save " + file + ": " + e.getMessage(), e);
        }
    }
}
