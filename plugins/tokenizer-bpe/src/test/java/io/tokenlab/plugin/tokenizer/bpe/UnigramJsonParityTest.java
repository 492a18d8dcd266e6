package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Unigram tokenizer.json files (Precompiled charsmap, Metaspace with each prepend scheme, Unigram
 * with unknown fusion and byte fallback, Metaspace decoder) give the ids, offsets and decoded text
 * of Hugging Face tokenizers. No registry package we found ships a Unigram tokenizer.json, so the
 * files are made here the way Hugging Face's converter makes them for T5 and ALBERT, from
 * SentencePiece models trained with spm_train on the Linux documentation.
 */
class UnigramJsonParityTest {
    @TempDir
    static Path work;

    @ParameterizedTest
    @ValueSource(strings = {"t5 unigram 1000 nmt_nfkc", "t5 unigram 4000 nmt_nfkc byte_fallback",
            "first unigram 2000 nmt_nfkc", "albert unigram 2000 nmt_nfkc", "t5 unigram 2000 identity"})
    void sameAsHuggingFaceTokenizers(String spec) throws Exception {
        String style = spec.substring(0, spec.indexOf(' '));
        String modelSpec = spec.substring(spec.indexOf(' ') + 1);
        Path corpus = work.resolve("train.txt").toFile().exists() ? work.resolve("train.txt")
                : SentencePieceParityTest.trainingCorpus(work);
        Path model = SentencePieceParityTest.train(work, corpus, modelSpec);
        Path json = work.resolve(spec.replace(' ', '-') + ".json");
        SentencePieceConversion.writeTokenizerJson(model, style, json);
        for (boolean special : new boolean[] {false, true}) {
            Tokenizer ours = BpeTechnique.openFile(json.toString(), json, Set.of(), special);
            List<String> texts = HuggingFaceReference.realLines(300_000, 150_000);
            try (HuggingFaceReference reference = new HuggingFaceReference(json, special)) {
                for (int i = 0; i < texts.size(); i++) {
                    reference.assertSame(spec + " text #" + i, ours, texts.get(i));
                }
                assertThat(reference.compared).isGreaterThan(10_000);
                System.out.printf("%s (add_special_tokens=%s): %d texts, %d tokens identical%n", spec, special,
                        reference.compared, reference.tokens);
            }
        }
    }
}
