package io.tokenlab.plugin.lm.transformer;

import io.tokenlab.api.CorpusLocation;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.lm.LanguageModel;
import io.tokenlab.api.lm.LanguageModelProvider;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Option;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * The transformer language model ({@code tokenlab.model=transformer}): opens the model for the
 * given tokenizer, corpus and settings from its safetensors file in the data directory, training it
 * through the run's {@code Compute} the first time. After training it reports held-out perplexity
 * beside the n-gram model's, trained on the same bytes and scored on the same ids with the same
 * contexts. As the stage {@code lm/train-transformer} it trains (or opens) a model and writes that
 * report.
 */
@Component(service = {LanguageModelProvider.class, StageTechnique.class}, property = {
        LanguageModelProvider.MODEL + "=transformer",
        "tokenlab.technique=lm/train-transformer",
        "tokenlab.input=text",
        "tokenlab.output=text",
        "tokenlab.parameters.files=corpus",
        "tokenlab.parameters.files=transformer.file",
        "tokenlab.description=A small decoder-only transformer (learned positions, pre-RMSNorm, causal multi-head "
                + "attention, GELU MLP, tied output; GPT-2 style) trained here through Compute with AdamW, warm-up and "
                + "cosine decay, on a corpus from the data catalog over any tokenizer's ids; cached as safetensors."})
@Designate(ocd = TransformerModelProvider.Config.class)
public final class TransformerModelProvider implements LanguageModelProvider, StageTechnique {

    @ObjectClassDefinition(name = "lm/train-transformer", description = "Train (or open) a transformer language model "
            + "and report its held-out perplexity beside the n-gram model's.")
    public @interface Config {
        @AttributeDefinition(description = "Tokenizer technique whose ids the model speaks.")
        String tokenizer() default "tokenizer/bpe";

        @AttributeDefinition(description = "Vocabulary of that tokenizer.")
        String vocabulary() default "gpt2";

        @AttributeDefinition(description = "Data set or path to train on (files in sorted order).")
        String corpus() default "linux-doc";

        @AttributeDefinition(description = "Bytes of the corpus to train on (the n-gram comparison trains on the same).",
                min = "1000")
        long transformer_corpus_bytes() default TrainingRequest.DEFAULT_CORPUS_BYTES;

        @AttributeDefinition(description = "Bytes after the training bytes held out for perplexity; 0 skips it.",
                min = "0")
        long transformer_heldout_bytes() default 200_000;

        @AttributeDefinition(description = "Width of the hidden states.", min = "8", max = "4096")
        int transformer_dimension() default 64;

        @AttributeDefinition(description = "Transformer blocks.", min = "1", max = "64")
        int transformer_layers() default 4;

        @AttributeDefinition(description = "Attention heads (must divide the dimension).", min = "1", max = "64")
        int transformer_heads() default 4;

        @AttributeDefinition(description = "Context window in tokens.", min = "2", max = "4096")
        int transformer_context() default 64;

        @AttributeDefinition(description = "Attention: softmax, or softplus (Gao et al. 2025: softplus of the log n-scaled "
                + "scores raised to transformer.attention.power, l1-normalised).", options = {
                @Option(label = "softmax", value = "softmax"), @Option(label = "softplus", value = "softplus")})
        String transformer_attention() default "softmax";

        @AttributeDefinition(description = "Softplus attention's re-weighting power (1: none).", min = "1", max = "16")
        double transformer_attention_power() default 3.0;

        @AttributeDefinition(description = "Positions: learned (one vector per position up to the context) or none "
                + "(order from the causal mask alone; such a model runs on longer windows).", options = {
                @Option(label = "learned", value = "learned"), @Option(label = "none", value = "none")})
        String transformer_positions() default "learned";

        @AttributeDefinition(description = "Optimizer steps.", min = "1")
        int transformer_steps() default 200;

        @AttributeDefinition(description = "Sequences per step.", min = "1", max = "4096")
        int transformer_batch() default 8;

        @AttributeDefinition(description = "Peak learning rate (AdamW, betas 0.9/0.95).", min = "0")
        double transformer_learning_rate() default 3e-3;

        @AttributeDefinition(description = "Learning rate at the end of the cosine decay.", min = "0")
        double transformer_min_learning_rate() default 3e-4;

        @AttributeDefinition(description = "Linear warm-up steps; -1 uses a tenth of the steps.", min = "-1")
        int transformer_warmup() default -1;

        @AttributeDefinition(description = "Decoupled weight decay (not applied to norm weights).", min = "0")
        double transformer_weight_decay() default 0.1;

        @AttributeDefinition(description = "Global gradient-norm clip.", min = "0.000001")
        double transformer_clip() default 1.0;

        @AttributeDefinition(description = "Seed of the initial weights and of the order of training windows.")
        long transformer_seed() default 0;

        @AttributeDefinition(description = "Checkpoint to load or save; empty picks one named after the settings "
                + "under <data>/models/.")
        String transformer_file() default "";
    }

    private final Map<Path, TransformerLanguageModel> models = new ConcurrentHashMap<>();
    private final Map<Path, Object> locks = new ConcurrentHashMap<>();
    private final Map<Path, List<String>> reports = new ConcurrentHashMap<>();
    private volatile LanguageModelProvider ngram;

    @Reference(cardinality = ReferenceCardinality.OPTIONAL, policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY, target = "(" + LanguageModelProvider.MODEL + "=ngram)")
    public void setNgram(LanguageModelProvider provider) {
        this.ngram = provider;
    }

    public void unsetNgram(LanguageModelProvider provider) {
        if (this.ngram == provider) {
            this.ngram = null;
        }
    }

    @Override
    public LanguageModel open(Parameters parameters, RunContext context) {
        return openModel(parameters, context);
    }

    TransformerLanguageModel openModel(Parameters parameters, RunContext context) {
        TrainingRequest request = TrainingRequest.of(withWarmup(parameters));
        Tokenizer tokenizer = openTokenizer(request, context);
        Path corpusPath = request.file().isBlank() || !Files.exists(Path.of(request.file()))
                ? CorpusLocation.resolve("corpus", request.corpus(), context) : null;
        Path file = request.file().isBlank()
                ? CorpusLocation.dataDirectoryOf(corpusPath, request.corpus()).resolve("models").resolve(request.fileName())
                : Path.of(request.file());
        Path key = file.toAbsolutePath().normalize();
        TransformerLanguageModel model = models.get(key);
        if (model == null) {
            synchronized (locks.computeIfAbsent(key, k -> new Object())) {
                model = models.get(key);
                if (model == null) {
                    model = loadOrTrain(key, request, tokenizer, corpusPath, parameters, context);
                    models.put(key, model);
                }
            }
        }
        if (model.vocabularySize() != tokenizer.vocabularySize()) {
            throw new TechniqueException("transformer " + key + " has " + model.vocabularySize() + " ids but "
                    + request.tokenizer() + " " + request.vocabulary() + " has " + tokenizer.vocabularySize()
                    + "; delete the file or choose the tokenizer it was trained with");
        }
        return model;
    }

    /** A warm-up of -1 (the metatype's default) means a tenth of the steps. */
    private static Parameters withWarmup(Parameters p) {
        if (p.has("transformer.warmup") && p.integer("transformer.warmup", -1) < 0) {
            Map<String, Object> m = new java.util.HashMap<>(p.asMap());
            m.remove("transformer.warmup");
            return Parameters.of(m);
        }
        return p;
    }

    private TransformerLanguageModel loadOrTrain(Path file, TrainingRequest request, Tokenizer tokenizer,
                                                 Path corpusPath, Parameters parameters, RunContext context) {
        if (Files.isRegularFile(file)) {
            try {
                Checkpoint.Loaded loaded = Checkpoint.read(file);
                TransformerLanguageModel model = new TransformerLanguageModel(context.compute(), loaded.weights(),
                        loaded.metadata().getOrDefault("tokenlab.corpus", ""));
                List<String> report = new ArrayList<>();
                report.add("loaded " + model + " from " + file.getFileName());
                String figures = loaded.metadata().get("tokenlab.report");
                if (figures != null) {
                    report.addAll(List.of(figures.split("\n")));
                }
                report.forEach(line -> context.note("transformer: " + line));
                reports.put(file, report);
                return model;
            } catch (IOException e) {
                context.note("transformer: " + e.getMessage() + "; training it again");
            }
        }
        if (corpusPath == null) {
            throw new TechniqueException("parameter 'transformer.file': " + file + " cannot be read and there is no "
                    + "corpus to train on");
        }
        try {
            int start = TrainingCorpus.startToken(tokenizer);
            TrainingCorpus corpus = TrainingCorpus.read(corpusPath, tokenizer, start, request.corpusBytes(),
                    request.heldOutBytes());
            TransformerConfig config = request.config(tokenizer.vocabularySize(), start);
            Trainer trainer = new Trainer(context.compute());
            Trainer.Result result = trainer.train(config, corpus.training(), request.settings(), context.progress(),
                    line -> context.note("transformer: " + line));
            List<String> report = new ArrayList<>();
            report.add(String.format(Locale.ROOT, "trained %d layers x %d heads, d=%d, context %d (%.2fM parameters) "
                            + "on %.1f MB of %s for %d steps (%d tokens) in %.0f s; loss %.3f -> %.3f",
                    config.layers(), config.heads(), config.dimension(), config.context(), config.parameterCount() / 1e6,
                    corpus.trainingBytes() / 1e6, request.corpus(), request.settings().steps(), result.tokens(),
                    result.seconds(), result.firstLoss(), result.lastLoss()));
            TransformerLanguageModel model = new TransformerLanguageModel(context.compute(), result.weights(),
                    request.corpus());
            if (corpus.heldOut().length > 0) {
                report.add(compare(model, trainer, corpus, request, parameters, context));
            }
            report.forEach(line -> context.note("transformer: " + line));
            Checkpoint.write(result.weights(), Map.of("tokenlab.corpus", request.corpus(), "tokenlab.tokenizer",
                    request.tokenizer() + " " + request.vocabulary(), "tokenlab.report", String.join("\n", report)), file);
            context.note("transformer: saved to " + file);
            reports.put(file, report);
            return model;
        } catch (IOException e) {
            throw new TechniqueException("transformer: cannot train or save " + file + ": " + e.getMessage(), e);
        }
    }

    /** Held-out perplexity of the transformer and, when the n-gram provider is installed, of the n-gram model. */
    private String compare(TransformerLanguageModel model, Trainer trainer, TrainingCorpus corpus,
                           TrainingRequest request, Parameters parameters, RunContext context) {
        int[][] windows = Trainer.evaluationWindows(corpus.heldOut(), request.context() + 1, model.config().start());
        double ours = Math.exp(trainer.meanLoss(model.weights(), windows, request.settings().batch()));
        long tokens = 0;
        for (int[] w : windows) {
            tokens += w.length - 1;
        }
        String line = String.format(Locale.ROOT, "held-out perplexity on %d ids of %.2f MB after the training bytes: "
                + "transformer %.1f", tokens, corpus.heldOutBytes() / 1e6, ours);
        LanguageModelProvider n = ngram;
        if (n == null) {
            return line + "; n-gram provider not installed, no comparison";
        }
        Map<String, Object> p = new java.util.HashMap<>();
        p.put("tokenizer", request.tokenizer());
        p.put("vocabulary", request.vocabulary());
        p.put("corpus", request.corpus());
        p.put("corpus.bytes", request.corpusBytes());
        p.put("order", parameters.integer("order", 4));
        LanguageModel ngramModel = n.open(Parameters.of(p), context);
        double theirs = Math.exp(PerplexityComparison.meanLoss(ngramModel, windows));
        return line + String.format(Locale.ROOT, ", %d-gram Kneser-Ney %.1f on the same ids and contexts: the %s wins",
                parameters.integer("order", 4), theirs, ours < theirs ? "transformer" : "n-gram model");
    }

    private static Tokenizer openTokenizer(TrainingRequest request, RunContext context) {
        TokenizerTechnique technique = context.technique(TokenizerTechnique.class, request.tokenizer())
                .orElseThrow(() -> new TechniqueException("the transformer needs tokenizer '" + request.tokenizer()
                        + "', which is not installed"));
        return technique.open(Parameters.of(Map.of("vocabulary", request.vocabulary())), context);
    }

    @Override
    public PortType input() {
        return PortType.TEXT;
    }

    @Override
    public PortType output() {
        return PortType.TEXT;
    }

    /** Trains or opens the model the parameters describe; the output is its report, one line per item. */
    @Override
    public Object apply(Object input, Parameters parameters, RunContext context) {
        TransformerLanguageModel model = openModel(parameters, context);
        List<String> out = new ArrayList<>();
        out.add(model.toString());
        for (Map.Entry<Path, TransformerLanguageModel> e : models.entrySet()) {
            if (e.getValue() == model) {
                out.addAll(reports.getOrDefault(e.getKey(), List.of()));
                out.add("checkpoint: " + e.getKey());
            }
        }
        return out;
    }
}
