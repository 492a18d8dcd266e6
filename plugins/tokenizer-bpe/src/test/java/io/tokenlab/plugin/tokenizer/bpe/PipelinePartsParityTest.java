package io.tokenlab.plugin.tokenizer.bpe;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every normalizer, pre-tokenizer and decoder the text pipelines implement, each against Hugging
 * Face tokenizers: the real all-MiniLM-L6-v2 file with one part replaced (its WordPiece vocabulary
 * kept), on real multilingual and adversarial lines; ids, offsets and decoded text must be equal.
 */
class PipelinePartsParityTest {
    @TempDir
    static Path work;

    @ParameterizedTest
    @ValueSource(strings = {
            "added_tokens=[{\"id\":0,\"content\":\"[PAD]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},{\"id\":100,\"content\":\"[UNK]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},{\"id\":101,\"content\":\"[CLS]\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},{\"id\":102,\"content\":\"[SEP]\",\"single_word\":true,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":true},{\"id\":103,\"content\":\"[MASK]\",\"single_word\":false,\"lstrip\":true,\"rstrip\":true,\"normalized\":false,\"special\":true},{\"id\":7592,\"content\":\"hello\",\"single_word\":false,\"lstrip\":false,\"rstrip\":false,\"normalized\":true,\"special\":false},{\"id\":2088,\"content\":\"World\",\"single_word\":true,\"lstrip\":false,\"rstrip\":false,\"normalized\":false,\"special\":false},{\"id\":2005,\"content\":\"FOR\",\"single_word\":false,\"lstrip\":true,\"rstrip\":false,\"normalized\":true,\"special\":false}]",
            "@qwen3 pre_tokenizer={\"type\":\"ByteLevel\",\"add_prefix_space\":true,\"trim_offsets\":false,\"use_regex\":true}",
            "@qwen3 pre_tokenizer={\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\s+\"},\"behavior\":\"Removed\",\"invert\":false},{\"type\":\"ByteLevel\",\"add_prefix_space\":false,\"trim_offsets\":false,\"use_regex\":false}]}",
            "@qwen3 normalizer={\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFKC\"},{\"type\":\"Lowercase\"}]}",
            "@llama2 normalizer=null ; pre_tokenizer={\"type\":\"Metaspace\",\"replacement\":\"\u2581\",\"prepend_scheme\":\"first\",\"split\":false}",
            "pre_tokenizer={\"type\":\"Whitespace\"}",
            "pre_tokenizer={\"type\":\"WhitespaceSplit\"}",
            "pre_tokenizer={\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"WhitespaceSplit\"},{\"type\":\"Punctuation\",\"behavior\":\"Contiguous\"}]}",
            "pre_tokenizer={\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"WhitespaceSplit\"},{\"type\":\"Digits\",\"individual_digits\":true},{\"type\":\"Punctuation\",\"behavior\":\"MergedWithPrevious\"}]}",
            "pre_tokenizer={\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"Digits\",\"individual_digits\":false},{\"type\":\"Punctuation\",\"behavior\":\"MergedWithNext\"},{\"type\":\"WhitespaceSplit\"}]}",
            "pre_tokenizer={\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\s+\"},\"behavior\":\"Removed\",\"invert\":false}",
            "pre_tokenizer={\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\w+|[^\\\\w\\\\s]+\"},\"behavior\":\"Removed\",\"invert\":true}",
            "pre_tokenizer={\"type\":\"Split\",\"pattern\":{\"String\":\" \"},\"behavior\":\"MergedWithNext\",\"invert\":false}",
            "pre_tokenizer={\"type\":\"Split\",\"pattern\":{\"Regex\":\"[aeiou]\"},\"behavior\":\"Contiguous\",\"invert\":false}",
            "pre_tokenizer={\"type\":\"Split\",\"pattern\":{\"Regex\":\"\\\\p{P}\"},\"behavior\":\"MergedWithPrevious\",\"invert\":false}",
            "pre_tokenizer={\"type\":\"Sequence\",\"pretokenizers\":[{\"type\":\"UnicodeScripts\"},{\"type\":\"WhitespaceSplit\"}]}",
            "pre_tokenizer={\"type\":\"CharDelimiterSplit\",\"delimiter\":\"e\"}",
            "pre_tokenizer={\"type\":\"Metaspace\",\"replacement\":\"_\",\"prepend_scheme\":\"always\",\"split\":true}",
            "normalizer={\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFD\"},{\"type\":\"StripAccents\"},{\"type\":\"Lowercase\"}]}",
            "normalizer={\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFKC\"},{\"type\":\"Lowercase\"},{\"type\":\"Strip\",\"strip_left\":true,\"strip_right\":true}]}",
            "normalizer={\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFKD\"},{\"type\":\"Lowercase\"}]}",
            "normalizer={\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"NFC\"},{\"type\":\"Lowercase\"}]}",
            "normalizer={\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Replace\",\"pattern\":{\"Regex\":\"[0-9]+\"},\"content\":\"#\"},{\"type\":\"Replace\",\"pattern\":{\"String\":\"the\"},\"content\":\"THE\"},{\"type\":\"Lowercase\"}]}",
            "normalizer={\"type\":\"Sequence\",\"normalizers\":[{\"type\":\"Prepend\",\"prepend\":\"x\"},{\"type\":\"Lowercase\"}]}",
            "normalizer={\"type\":\"BertNormalizer\",\"clean_text\":true,\"handle_chinese_chars\":false,\"strip_accents\":false,\"lowercase\":true}",
            "decoder={\"type\":\"WordPiece\",\"prefix\":\"##\",\"cleanup\":false}",
            "decoder={\"type\":\"Sequence\",\"decoders\":[{\"type\":\"Replace\",\"pattern\":{\"String\":\"##\"},\"content\":\"\"},{\"type\":\"Strip\",\"content\":\"[\",\"start\":1,\"stop\":0},{\"type\":\"Fuse\"}]}",
            "decoder={\"type\":\"CTC\",\"pad_token\":\"[PAD]\",\"word_delimiter_token\":\"|\",\"cleanup\":true}",
            "decoder={\"type\":\"BPEDecoder\",\"suffix\":\"##\"}",
            "decoder={\"type\":\"Replace\",\"pattern\":{\"Regex\":\"#+\"},\"content\":\"-\"}"})
    void sameAsHuggingFaceTokenizers(String variant) throws Exception {
        String base = "all-minilm-l6-v2";
        String spec = variant;
        if (spec.startsWith("@")) { // a BPE file: "@name part=json"
            base = spec.substring(1, spec.indexOf(' '));
            spec = spec.substring(spec.indexOf(' ') + 1);
        }
        java.util.Map<String, String> parts = new java.util.HashMap<>();
        for (String one : spec.split(" ; ")) {
            int eq = one.indexOf('=');
            parts.put(one.substring(0, eq), one.substring(eq + 1));
        }
        Path file = work.resolve("variant-" + Integer.toHexString(variant.hashCode()) + ".json");
        replaceParts(TestData.fetch(base), parts, file);
        Tokenizer ours = BpeTechnique.openFile(file.toString(), file, Set.of(), true);
        List<String> texts = new ArrayList<>();
        for (String udhr : TestData.udhr()) {
            String[] lines = udhr.split("\n");
            texts.addAll(List.of(lines).subList(0, Math.min(3, lines.length)));
        }
        texts.addAll(TestData.linuxDocLines(100_000));
        texts.addAll(HuggingFaceReference.adversarial());
        texts.addAll(List.of("Hello HELLO hello hellos", "a [MASK] b", "a[MASK]b", "x [SEP]y", "[SEP] z [SEP]",
                "World Worldwide World! _World", "  [MASK]  [MASK]\t[MASK]\u2000", "for FOR  For\tfor", "[MASK][MASK]"));
        try (HuggingFaceReference reference = new HuggingFaceReference(file, true)) {
            for (int i = 0; i < texts.size(); i++) {
                reference.assertSame(variant + " text #" + i, ours, texts.get(i));
            }
            assertThat(reference.compared).isGreaterThan(3_000);
        }
    }

    /** Copies a tokenizer.json with top-level parts replaced (part name to its new JSON). */
    private static void replaceParts(Path in, java.util.Map<String, String> parts, Path out) throws IOException {
        JsonFactory factory = new JsonFactory();
        try (JsonParser p = factory.createParser(in.toFile());
             JsonGenerator g = factory.createGenerator(out.toFile(), JsonEncoding.UTF8)) {
            p.nextToken();
            g.writeStartObject();
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String name = p.currentName();
                p.nextToken();
                g.writeFieldName(name);
                if (parts.containsKey(name)) {
                    g.writeRawValue(parts.get(name));
                    p.skipChildren();
                } else {
                    g.copyCurrentStructure(p);
                }
            }
            g.writeEndObject();
        }
    }
}
