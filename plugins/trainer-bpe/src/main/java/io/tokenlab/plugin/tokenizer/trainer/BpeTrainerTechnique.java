package io.tokenlab.plugin.tokenizer.trainer;

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
import org.osgi.service.metatype.annotations.Option;

/** {@code tokenizer/train-bpe}: byte-level BPE (Sennrich et al. 2016; GPT-2) trained here. */
@Component(service = {TokenizerTrainer.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=tokenizer/train-bpe",
        TokenizerTrainer.TRAINER + "=bpe",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Trains a byte-level BPE vocabulary (Sennrich et al. 2016, GPT-2 pre-tokenization) "
                + "with incremental pair counts and multi-threaded counting; writes a Hugging Face tokenizer.json"})
@Designate(ocd = BpeTrainerTechnique.Config.class)
public final class BpeTrainerTechnique extends TrainerStage {

    @ObjectClassDefinition(name = "tokenizer/train-bpe", description = "Byte-level BPE trainer: corpus lines in, tokenizer.json out.")
    public @interface Config {
        @AttributeDefinition(description = "Vocabulary size, special tokens included.", min = "257", max = "1000000")
        int vocab_size() default 8192;

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
        Config c = parameters.as(Config.class);
        return BpeTraining.bpe(texts, new BpeTraining.Settings(c.vocab_size(), c.min_frequency(), threads(c.threads()),
                specials(c.special_tokens()), PreTokenization.named(c.pre_tokenizer())), context.progress());
    }
}
