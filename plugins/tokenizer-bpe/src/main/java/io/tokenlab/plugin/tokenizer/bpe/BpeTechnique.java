package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Future;
import java.util.concurrent.FutureTask;

/**
 * {@code tokenizer/bpe}: byte-level BPE with the vocabularies of real models, token for token
 * identical to tiktoken and Hugging Face tokenizers.
 */
@Component(service = TokenizerTechnique.class, property = {
        Techniques.TECHNIQUE + "=tokenizer/bpe",
        Techniques.FILE_PARAMETERS + "=vocabulary",
        Techniques.DESCRIPTION + "=Byte-level BPE (Sennrich et al. 2016; GPT-2, Radford et al. 2019) with the exact "
                + "encodings of OpenAI tiktoken (r50k/p50k/cl100k/o200k), GPT-2 encoder.json + vocab.bpe and Hugging Face "
                + "tokenizer.json BPE models (Llama 2, Gemma 3, Qwen 3)"})
@Designate(ocd = BpeTechnique.Config.class)
public final class BpeTechnique implements TokenizerTechnique {
    /** Vocabulary names resolved through the run's data catalog. */
    static final List<String> NAMED_VOCABULARIES = List.of(
            "cl100k_base", "o200k_base", "p50k_base", "r50k_base", "gpt2", "llama2", "gemma3", "qwen3", "claude", "deepseek_v3",
            "gemini", "all-minilm-l6-v2", "bge-small-zh-v15");

    @ObjectClassDefinition(name = "Byte-level BPE tokenizer",
            description = "Encodes text to the token ids of a real vocabulary and decodes them back.")
    public @interface Config {
        @AttributeDefinition(name = "Vocabulary", description = "cl100k_base, o200k_base, p50k_base, r50k_base, gpt2, "
                + "llama2, gemma3, qwen3, claude, deepseek_v3, gemini, all-minilm-l6-v2, bge-small-zh-v15 (fetched through "
                + "the data catalog), or a path to a "
                + "<encoding>.tiktoken file, a directory with encoder.json and vocab.bpe, a tokenizer.json file "
                + "(BPE, WordPiece, Unigram or WordLevel model) or a SentencePiece .model file")
        String vocabulary() default "cl100k_base";

        @AttributeDefinition(name = "Allowed special tokens", description = "Special tokens that the input text may "
                + "contain and that encode as their special ids: none, all, or a comma-separated list such as "
                + "<|endoftext|>. Any other special token in the text is an error naming it.")
        String allowed_special() default "none";

        @AttributeDefinition(name = "Add special tokens", description = "Whether encoding adds the tokens of the "
                + "file's post-processor, as Hugging Face's encode(text, add_special_tokens=True) does: BERT's [CLS] "
                + "and [SEP], T5's </s>. Files without a post-processor (tiktoken, GPT-2) add nothing.")
        boolean add_special_tokens() default false;
    }

    /** Loaded vocabularies by file, shared by every tokenizer opened on them (loading cl100k is not free). */
    private static final Map<String, Future<LoadedVocabulary>> LOADED = new ConcurrentHashMap<>();

    @Override
    public Tokenizer open(Parameters parameters, RunContext context) {
        Config config = parameters.as(Config.class);
        String vocabulary = config.vocabulary().trim();
        Path file = resolve(vocabulary, context);
        LoadedVocabulary loaded = load(vocabulary, file);
        return loaded.open(allowedSpecial(config.allowed_special(), loaded), config.add_special_tokens());
    }

    /** Opens a vocabulary file directly, outside a pipeline run (tests, benchmarks). */
    public static Tokenizer openFile(String vocabulary, Path file, Set<String> allowedSpecial) {
        return load(vocabulary, file).open(allowedSpecial, false);
    }

    /** As {@link #openFile(String, Path, Set)}, choosing whether the post-processor's special tokens are added. */
    public static Tokenizer openFile(String vocabulary, Path file, Set<String> allowedSpecial, boolean addSpecialTokens) {
        return load(vocabulary, file).open(allowedSpecial, addSpecialTokens);
    }

    private static Path resolve(String vocabulary, RunContext context) {
        if (NAMED_VOCABULARIES.contains(vocabulary)) {
            try {
                return context.data().fetch(vocabulary);
            } catch (IOException e) {
                throw new TechniqueException("parameter 'vocabulary': cannot fetch '" + vocabulary + "': " + e.getMessage(), e);
            }
        }
        Path path = Path.of(vocabulary);
        if (!Files.exists(path)) {
            throw new InvalidParameterException("vocabulary", "'" + vocabulary + "' is neither a known name ("
                    + String.join(", ", NAMED_VOCABULARIES) + ") nor an existing file or directory");
        }
        return path;
    }

    private static LoadedVocabulary load(String vocabulary, Path file) {
        String key;
        try {
            key = file.toRealPath() + "|" + Files.getLastModifiedTime(file) + "|" + (Files.isDirectory(file) ? 0 : Files.size(file));
        } catch (IOException e) {
            throw new TechniqueException("cannot read vocabulary " + file + ": " + e.getMessage(), e);
        }
        FutureTask<LoadedVocabulary> task = new FutureTask<>(() -> read(vocabulary, file));
        Future<LoadedVocabulary> existing = LOADED.putIfAbsent(key, task);
        Future<LoadedVocabulary> future = existing != null ? existing : task;
        if (existing == null) {
            task.run();
        }
        try {
            return future.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new TechniqueException("interrupted while loading " + file, e);
        } catch (java.util.concurrent.ExecutionException e) {
            LOADED.remove(key, future); // a failed load is retried next time (the file may be fixed)
            if (e.getCause() instanceof RuntimeException) {
                throw (RuntimeException) e.getCause();
            }
            throw new TechniqueException("cannot load " + file + ": " + e.getCause(), e.getCause());
        }
    }

    private static LoadedVocabulary read(String vocabulary, Path file) {
        if (Files.isDirectory(file)) {
            if (Files.exists(file.resolve("encoder.json")) && Files.exists(file.resolve("vocab.bpe"))) {
                return Gpt2Files.load(file);
            }
            if (Files.exists(file.resolve("tokenizer.json"))) {
                return TokenizerJsonFile.load(file.resolve("tokenizer.json"));
            }
            throw new TechniqueException("vocabulary directory " + file + " has neither encoder.json + vocab.bpe nor tokenizer.json");
        }
        String name = file.getFileName().toString();
        if (name.endsWith(".json")) {
            return TokenizerJsonFile.load(file);
        }
        if (name.endsWith(".model")) {
            return SentencePieceModelFile.load(file);
        }
        TiktokenEncoding encoding = TiktokenEncoding.byName(vocabulary);
        if (encoding == null) {
            encoding = TiktokenEncoding.forFileName(name);
        }
        if (encoding == null) {
            throw new TechniqueException("cannot tell which tiktoken encoding " + file + " is (its pre-tokenization "
                    + "pattern and special tokens depend on it); name the file after it: r50k_base.tiktoken, "
                    + "p50k_base.tiktoken, cl100k_base.tiktoken or o200k_base.tiktoken");
        }
        return TiktokenCache.load(file, encoding);
    }

    private static Set<String> allowedSpecial(String value, LoadedVocabulary vocabulary) {
        String v = value == null ? "none" : value.trim();
        Set<String> known = new LinkedHashSet<>();
        vocabulary.addedTokens().ids().keySet().stream().filter(vocabulary.addedTokens()::isSpecial).forEach(known::add);
        if (v.isEmpty() || v.equals("none")) {
            return Set.of();
        }
        if (v.equals("all")) {
            return known;
        }
        Set<String> out = new LinkedHashSet<>();
        for (String token : v.split(",")) {
            String t = token.trim();
            if (!known.contains(t)) {
                throw new InvalidParameterException("allowed.special", "'" + t + "' is not a special token of this "
                        + "vocabulary; accepted: none, all, or a comma list of " + String.join(", ", known));
            }
            out.add(t);
        }
        return out;
    }
}
