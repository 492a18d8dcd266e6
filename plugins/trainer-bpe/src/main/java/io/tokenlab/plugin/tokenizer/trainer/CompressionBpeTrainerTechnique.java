package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.tokenizer.TokenizerTrainer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;

/**
 * {@code tokenizer/train-compression}: BPE that picks each merge by its effect on the DEFLATE size
 * of a validation stream ("LZ-aware BPE" in the information-theoretic view of tokenizers,
 * arXiv 2601.09039). The candidate set at each step is the {@code candidates} most frequent
 * allowed pairs of the training corpus (the paper does not say how it bounds the set; the
 * frequency shortlist keeps every step to k DEFLATE runs). The validation stream is every
 * {@code validation.every}-th corpus line, up to {@code validation.chars} characters, and those
 * lines are left out of training.
 */
@Component(service = {TokenizerTrainer.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=tokenizer/train-compression",
        TokenizerTrainer.TRAINER + "=compression",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Trains compression-aware BPE (information-theoretic view of tokenizers, arXiv "
                + "2601.09039): each merge is the one of the k most frequent pairs that makes a DEFLATE-compressed "
                + "validation stream smallest"})
@Designate(ocd = CompressionBpeTrainerTechnique.Config.class)
public final class CompressionBpeTrainerTechnique extends TrainerStage {

    @ObjectClassDefinition(name = "tokenizer/train-compression", description = "Compression-aware BPE trainer.")
    public @interface Config {
        @AttributeDefinition(description = "Vocabulary size, special tokens included.", min = "257", max = "65536")
        int vocab_size() default 1024;

        @AttributeDefinition(description = "Candidate pairs scored per merge (the most frequent ones).", min = "1", max = "256")
        int candidates() default 8;

        @AttributeDefinition(description = "Every n-th corpus line goes to the validation stream.", min = "2", max = "1000")
        int validation_every() default 10;

        @AttributeDefinition(description = "Characters of validation text at most.", min = "1000", max = "10000000")
        int validation_chars() default 65536;

        @AttributeDefinition(description = "Stop when the most frequent pair occurs fewer times than this.", min = "1")
        long min_frequency() default 2;

        @AttributeDefinition(description = "Comma-separated special tokens, given the last ids.")
        String special_tokens() default "<|endoftext|>";

        @AttributeDefinition(description = "Counting threads; 0 means one per processor.", min = "0", max = "256")
        int threads() default 0;
    }

    @Override
    TrainedBpe trainVocabulary(Iterable<String> texts, Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        if (c.candidates() < 1) {
            throw new InvalidParameterException("candidates", "'" + c.candidates() + "' must be at least 1");
        }
        if (c.validation_every() < 2) {
            throw new InvalidParameterException("validation.every", "'" + c.validation_every() + "' must be at least 2");
        }
        BpeTraining.Settings settings = new BpeTraining.Settings(c.vocab_size(), c.min_frequency(), threads(c.threads()),
                specials(c.special_tokens()));
        return train(texts, settings, c.candidates(), c.validation_every(), c.validation_chars(), context);
    }

    static TrainedBpe train(Iterable<String> texts, BpeTraining.Settings settings, int candidates, int every,
                            int validationChars, RunContext context) {
        List<String> validationPieces = new ArrayList<>();
        long chars = 0;
        int line = 0;
        for (String text : texts) {
            if (line++ % every == every - 1 && chars < validationChars) {
                PreTokenization.GPT2.split(text, validationPieces::add);
                chars += text.length();
            }
        }
        Iterable<String> training = () -> new Iterator<>() {
            private final Iterator<String> all = texts.iterator();
            private int index;
            private String next = advance();

            private String advance() {
                while (all.hasNext()) {
                    String t = all.next();
                    if (index++ % every != every - 1) {
                        return t;
                    }
                }
                return null;
            }

            @Override
            public boolean hasNext() {
                return next != null;
            }

            @Override
            public String next() {
                String t = next;
                next = advance();
                return t;
            }
        };
        MergeEngine engine = BpeTraining.countedEngine(training, PreTokenization.GPT2, settings, context.progress(),
                BpeTraining.singleBytes(), null);
        CompressionAwareChooser chooser = new CompressionAwareChooser(validationPieces, settings.vocabularySize(),
                engine.tokens());
        long before = chooser.currentSize();
        engine.run(settings.ordinaryTokens(), settings.minFrequency(), MergeEngine.TokenFilter.ALL, candidates, chooser,
                context.progress());
        context.note(String.format("validation stream (%d chars): DEFLATE %d bytes as raw bytes, %d bytes after training",
                chars, before, chooser.currentSize()));
        return new TrainedBpe(engine.tokens(), engine.merges(), PreTokenization.GPT2, settings.specials());
    }
}
