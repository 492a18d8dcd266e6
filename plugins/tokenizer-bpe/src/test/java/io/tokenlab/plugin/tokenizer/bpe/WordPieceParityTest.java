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
 * A real BERT-family tokenizer.json (all-MiniLM-L6-v2: WordPiece, BertNormalizer,
 * BertPreTokenizer, [CLS]/[SEP] template, WordPiece decoder) gives the same ids, offsets and
 * decoded text as Hugging Face tokenizers, with and without the special tokens.
 */
class WordPieceParityTest {
    @ParameterizedTest
    @ValueSource(booleans = {false, true})
    void sameAsHuggingFaceTokenizers(boolean addSpecialTokens) throws Exception {
        Path file = TestData.fetch("all-minilm-l6-v2");
        Tokenizer ours = new BpeTechnique().open(Parameters.of(Map.of("vocabulary", "all-minilm-l6-v2",
                "add.special.tokens", addSpecialTokens)), TestData.CONTEXT);
        List<String> texts = HuggingFaceReference.realLines(400_000, 200_000);
        try (HuggingFaceReference reference = new HuggingFaceReference(file, addSpecialTokens)) {
            for (int i = 0; i < texts.size(); i++) {
                reference.assertSame("all-minilm-l6-v2 text #" + i, ours, texts.get(i));
            }
            assertThat(reference.compared).isGreaterThan(10_000);
            System.out.printf("all-minilm-l6-v2 (add_special_tokens=%s): %d texts, %d tokens identical%n",
                    addSpecialTokens, reference.compared, reference.tokens);
        }
    }
}
