package io.tokenlab.plugin.tokenizer.bpe;

import ai.djl.huggingface.tokenizers.HuggingFaceTokenizer;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/** Identical ids to Hugging Face tokenizers (the Rust library, through DJL) for each tokenizer.json. */
class HuggingFaceParityTest {
    @ParameterizedTest
    @ValueSource(strings = {"llama2", "gemma3", "qwen3", "claude", "deepseek_v3", "gemini"})
    void sameIdsAsHuggingFaceTokenizers(String vocabulary) throws Exception {
        Path file = TestData.fetch(vocabulary);
        Tokenizer ours = TestData.open(vocabulary);
        List<String> texts = new ArrayList<>();
        for (String udhr : TestData.udhr()) {
            // every language, its first 4000 characters (preamble and first articles) to keep the run short
            // (cut at a line break: a cut surrogate pair would be a lone surrogate, which DJL passes on garbled)
            int cut = udhr.length() <= 4000 ? udhr.length() : Math.max(0, udhr.lastIndexOf('\n', 4000));
            texts.addAll(Arrays.asList(udhr.substring(0, cut).split("\n")));
        }
        texts.addAll(TestData.linuxDocLines(500_000));
        texts.addAll(List.of(" leading space", "two  spaces", "trailing ", "\ttab", "ﬁ ligature and é vs e\u0301",
                "emoji 👩‍👩‍👧 🙂", "<s> and </s> as text", "\n\n\nnewlines\n"));
        try (HuggingFaceTokenizer reference = HuggingFaceTokenizer.builder().optTokenizerPath(file)
                .optAddSpecialTokens(false).optTruncation(false).optPadding(false).build()) {
            int compared = 0;
            for (String text : texts) {
                long[] expectedLong = reference.encode(text, false, false).getIds();
                int[] expected = Arrays.stream(expectedLong).mapToInt(v -> (int) v).toArray();
                int[] actual = ours.encode(text, ours.specialTokens());
                TiktokenParityTest.assertSame(vocabulary + " text #" + compared, text, expected, actual);
                compared++;
            }
            assertThat(compared).isGreaterThan(5_000);
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"llama2", "gemma3", "qwen3"})
    void decodeRestoresTheText(String vocabulary) {
        Tokenizer t = TestData.open(vocabulary);
        for (String text : TestData.udhr().subList(0, 60)) {
            String expected = vocabulary.equals("qwen3") ? java.text.Normalizer.normalize(text, java.text.Normalizer.Form.NFC) : text;
            String decoded = t.decode(t.encode(text));
            int i = 0;
            while (i < Math.min(expected.length(), decoded.length()) && expected.charAt(i) == decoded.charAt(i)) {
                i++;
            }
            assertThat(decoded).as("%s: first difference at char %d: expected '%s' but was '%s'", vocabulary, i,
                    expected.substring(i, Math.min(expected.length(), i + 20)),
                    decoded.substring(i, Math.min(decoded.length(), i + 20))).isEqualTo(expected);
        }
    }
}
