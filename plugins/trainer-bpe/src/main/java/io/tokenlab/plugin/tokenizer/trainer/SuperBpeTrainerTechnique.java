package io.tokenlab.plugin.tokenizer.trainer;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.Progress;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.Techniques;
import io.tokenlab.api.pipeline.PortOverrides;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.api.tokenizer.TokenizerTrainer;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

import java.util.function.Function;

/** {@code tokenizer/train-superbpe}: SuperBPE (Liu et al. 2025), tokens that may span several words. */
@Component(service = {TokenizerTrainer.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=tokenizer/train-superbpe",
        TokenizerTrainer.TRAINER + "=superbpe",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Trains a SuperBPE vocabulary (Liu et al. 2025, arXiv 2503.13423): plain BPE up to "
                + "the transition size, then merges across single spaces (at most 4 words per token, none with ': ')"})
@Designate(ocd = SuperBpeTrainerTechnique.Config.class)
public final class SuperBpeTrainerTechnique extends TrainerStage {

    @ObjectClassDefinition(name = "tokenizer/train-superbpe", description = "SuperBPE trainer: corpus lines in, tokenizer.json out.")
    public @interface Config {
        @AttributeDefinition(description = "Vocabulary size, special tokens included.", min = "257", max = "1000000")
        int vocab_size() default 8192;

        @AttributeDefinition(description = "Transition point t: vocabulary size at which stage 2 (superwords) starts; "
                + "0 means 3/4 of vocab.size (the paper's 180k/200k is 0.9, its 128k release 0.78). t >= vocab.size is plain BPE.",
                min = "0", max = "1000000")
        int transition() default 0;

        @AttributeDefinition(description = "Most words one superword token may span (the authors use 4).", min = "1", max = "64")
        int max_words() default 4;

        @AttributeDefinition(description = "Stop when the most frequent pair occurs fewer times than this.", min = "1")
        long min_frequency() default 2;

        @AttributeDefinition(description = "Comma-separated special tokens, given the last ids.")
        String special_tokens() default "<|endoftext|>";

        @AttributeDefinition(description = "Pre-tokenization whose pieces merges never cross: cl100k (GPT-4's regex: a word "
                + "keeps one leading symbol, digits in groups of three; compresses English a little better) or gpt2 (GPT-2's).",
                options = {@Option(label = "GPT-2", value = "gpt2"), @Option(label = "GPT-4 (cl100k)", value = "cl100k")})
        String pre_tokenizer() default "cl100k";

        @AttributeDefinition(description = "Counting threads; 0 means one per processor.", min = "0", max = "256")
        int threads() default 0;
    }

    @Override
    TrainedBpe trainVocabulary(Iterable<String> texts, Parameters parameters, RunContext context) {
        return train(parameters, settings -> BpeTraining.localCounting(texts, settings, context.progress()),
                context.progress());
    }

    /** Trains with the stage's parameters on pieces counted by what {@code counting} gives for the settings. */
    static TrainedBpe train(Parameters parameters,
                            Function<BpeTraining.Settings, Function<PreTokenization, PieceTable>> counting, Progress progress) {
        Config c = parameters.as(Config.class);
        if (c.max_words() < 1) {
            throw new InvalidParameterException("max.words", "'" + c.max_words() + "' must be at least 1");
        }
        BpeTraining.Settings settings = settings(c);
        return BpeTraining.superBpe(counting.apply(settings), settings, transition(c), c.max_words(), progress);
    }

    static BpeTraining.Settings settings(Config c) {
        return new BpeTraining.Settings(c.vocab_size(), c.min_frequency(), threads(c.threads()), specials(c.special_tokens()),
                PreTokenization.named(c.pre_tokenizer()));
    }

    static int transition(Config c) {
        return c.transition() == 0 ? c.vocab_size() * 3 / 4 : c.transition();
    }
}
