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
import java.util.List;

/**
 * {@code tokenizer/train-charbpe}: the KL3M character tokenizers (Bommarito et al. 2025), BPE whose
 * tokens hold at most {@code max.chars} characters, with KL3M's 13 special tokens and the
 * vocabulary padded to a power of two, for OCR correction where short tokens keep an edit local.
 */
@Component(service = {TokenizerTrainer.class, StageTechnique.class}, property = {
        Techniques.TECHNIQUE + "=tokenizer/train-charbpe",
        TokenizerTrainer.TRAINER + "=charbpe",
        PortOverrides.INPUT + "=text",
        PortOverrides.OUTPUT + "=text",
        Techniques.DESCRIPTION + "=Trains a KL3M character-level BPE (Bommarito et al. 2025): tokens of at most "
                + "max.chars characters, KL3M's special tokens, vocabulary padded to a power of two"})
@Designate(ocd = CharBpeTrainerTechnique.Config.class)
public final class CharBpeTrainerTechnique extends TrainerStage {
    /** KL3M's special tokens: start, end, pad, unk, sep, cls, mask and the chat-role tags. */
    static final List<String> KL3M_SPECIALS = List.of("<|start|>", "<|end|>", "<|pad|>", "<|unk|>", "<|sep|>",
            "<|cls|>", "<|mask|>", "<|system|>", "<|/system|>", "<|user|>", "<|/user|>", "<|instruction|>", "<|/instruction|>");

    @ObjectClassDefinition(name = "tokenizer/train-charbpe", description = "Character-level BPE trainer (KL3M).")
    public @interface Config {
        @AttributeDefinition(description = "Vocabulary size, a power of two (KL3M: 4096, 8192, 16384).", min = "512", max = "1048576")
        int vocab_size() default 4096;

        @AttributeDefinition(description = "Most characters in one token (KL3M: 3 for 4k/8k, 4 for 16k).", min = "1", max = "64")
        int max_chars() default 3;

        @AttributeDefinition(description = "Stop when the most frequent pair occurs fewer times than this.", min = "1")
        long min_frequency() default 2;

        @AttributeDefinition(description = "Counting threads; 0 means one per processor.", min = "0", max = "256")
        int threads() default 0;
    }

    @Override
    TrainedBpe trainVocabulary(Iterable<String> texts, Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        int size = c.vocab_size();
        if (Integer.bitCount(size) != 1) {
            throw new InvalidParameterException("vocab.size", "'" + size + "' is not a power of two; KL3M pads to 2^k, "
                    + "e.g. " + Integer.highestOneBit(size) + " or " + (Integer.highestOneBit(size) << 1));
        }
        int maxChars = c.max_chars();
        BpeTraining.Settings settings = new BpeTraining.Settings(size, c.min_frequency(), threads(c.threads()), KL3M_SPECIALS);
        TrainedBpe trained = BpeTraining.filtered(texts, settings,
                token -> ByteLevel.characterCount(token) <= maxChars, context.progress());
        if (trained.vocabularySize() == size) {
            return trained;
        }
        // the corpus ran out of allowed merges: reserved special tokens fill the vocabulary up to 2^k
        List<String> padded = new ArrayList<>(KL3M_SPECIALS);
        for (int i = 0; trained.vocabularySize() + (padded.size() - KL3M_SPECIALS.size()) < size; i++) {
            padded.add("<|reserved_" + i + "|>");
        }
        return new TrainedBpe(trained.tokens(), trained.merges(), trained.preTokenization(), padded);
    }
}
