package io.tokenlab.plugin.tokenizer.bytes;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * One token per UTF-8 byte, as ByT5 (Xue et al., 2022, "ByT5: Towards a token-free future with
 * pre-trained byte-to-byte models") does: with {@code byt5.layout} the ids 0, 1, 2 are
 * {@code <pad>}, {@code </s>}, {@code <unk>} and byte b is id b + 3; without it byte b is id b.
 */
@Component(property = {
        "tokenlab.technique=tokenizer/bytes",
        "tokenlab.text.rawbytes:Boolean=true",
        "tokenlab.description=One token per UTF-8 byte (ByT5, Xue et al. 2022): lossless on any input, "
                + "the baseline every subword vocabulary is compared against."})
@Designate(ocd = ByteTokenizerTechnique.Config.class)
public final class ByteTokenizerTechnique implements TokenizerTechnique {

    @ObjectClassDefinition(name = "tokenizer/bytes", description = "One token per UTF-8 byte.")
    public @interface Config {
        @AttributeDefinition(description = "Use ByT5's ids: 0 <pad>, 1 </s>, 2 <unk>, byte b at b + 3.")
        boolean byt5_layout() default true;

        @AttributeDefinition(description = "Worker threads for batch encoding in pipelines.", min = "1", max = "256")
        int threads() default 2;
    }

    @Override
    public Tokenizer open(Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        return new ByteTokenizer(c.byt5_layout());
    }
}
