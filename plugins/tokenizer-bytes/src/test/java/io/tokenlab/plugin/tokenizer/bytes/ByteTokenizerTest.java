package io.tokenlab.plugin.tokenizer.bytes;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.TokenizerConformance;
import io.tokenlab.api.tokenizer.Tokenizer;
import io.tokenlab.api.tokenizer.TokenizerTechnique;
import org.junit.jupiter.api.Test;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Random;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class ByteTokenizerTest extends TokenizerConformance {
    @Override
    protected TokenizerTechnique technique() {
        return new ByteTokenizerTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.empty();
    }

    @Override
    protected Parameters invalidParameters() {
        return Parameters.of(Map.of("byt5.layout", "sometimes"));
    }

    @Override
    protected String invalidValue() {
        return "sometimes";
    }

    @Override
    protected RunContext context() {
        return new KitContext(null);
    }

    @Test
    void matchesByt5Ids() {
        // ByT5's tokenizer: "hi" -> [104+3, 105+3]; </s> is 1
        Tokenizer t = open();
        assertThat(t.encode("hi")).containsExactly(107, 108);
        assertThat(t.encode("hi</s>", Set.of("</s>"))).containsExactly(107, 108, 1);
        assertThat(t.vocabularySize()).isEqualTo(259);
    }

    @Test
    void tokenCountIsTheUtf8Length() {
        Tokenizer t = open();
        Random r = new Random(5);
        for (int i = 0; i < 200; i++) {
            StringBuilder sb = new StringBuilder();
            for (int j = 0; j < 40; j++) {
                int cp;
                do {
                    cp = r.nextInt(0x30000);
                } while (Character.isSurrogate((char) cp) && cp < 0x10000 || !Character.isDefined(cp));
                sb.appendCodePoint(cp);
            }
            String s = sb.toString().replace("<", "");
            assertThat(t.count(s)).isEqualTo(s.getBytes(StandardCharsets.UTF_8).length);
            assertThat(t.decode(t.encode(s))).isEqualTo(s);
        }
    }
}
