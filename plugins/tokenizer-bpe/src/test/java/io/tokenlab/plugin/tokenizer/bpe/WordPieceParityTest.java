package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Real BERT-family tokenizer.json files (all-MiniLM-L6-v2, uncased English; bge-small-zh-v1.5,
 * cased Chinese vocabulary: WordPiece, BertNormalizer, BertPreTokenizer, [CLS]/[SEP] template,
 * WordPiece decoder) give the same ids, offsets and decoded text as Hugging Face tokenizers, with
 * and without the special tokens.
 */
class WordPieceParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"all-minilm-l6-v2 false", "all-minilm-l6-v2 true", "bge-small-zh-v15 false", "bge-small-zh-v15 true"})
    void sameAsHuggingFaceTokenizers(String spec) throws Exception {
        String name = spec.split(" ")[0];
        boolean addSpecialTokens = Boolean.parseBoolean(spec.split(" ")[1]);
        Path file = TestData.fetch(name);
        Tokenizer ours = new BpeTechnique().open(Parameters.of(Map.of("vocabulary", name,
                "add.special.tokens", addSpecialTokens)), TestData.CONTEXT);
        List<String> texts = HuggingFaceReference.realLines(400_000, 200_000);
        try (HuggingFaceReference reference = new HuggingFaceReference(file, addSpecialTokens)) {
            for (int i = 0; i < texts.size(); i++) {
                reference.assertSame(name + " text #" + i, ours, texts.get(i));
            }
            assertThat(reference.compared).isGreaterThan(10_000);
            System.out.printf("%s (add_special_tokens=%s): %d texts, %d tokens identical%n", name,
                    addSpecialTokens, reference.compared, reference.tokens);
        }
    }
}
