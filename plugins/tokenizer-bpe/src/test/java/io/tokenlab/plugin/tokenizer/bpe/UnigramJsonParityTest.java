package io.tokenlab.plugin.tokenizer.bpe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.tokenlab.api.tokenizer.Tokenizer;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
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
        convert(SentencePieceModelFile.parts(model), style, json);
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

    /** Writes the tokenizer.json Hugging Face's T5 or ALBERT converter would write for a .model. */
    private static void convert(SentencePieceModelFile.Parts m, String style, Path out) throws IOException {
        try (JsonGenerator g = new JsonFactory().createGenerator(out.toFile(), com.fasterxml.jackson.core.JsonEncoding.UTF8)) {
            g.writeStartObject();
            g.writeStringField("version", "1.0");
            g.writeNullField("truncation");
            g.writeNullField("padding");
            g.writeArrayFieldStart("added_tokens");
            int unk = 0;
            int eos = -1;
            for (int id = 0; id < m.pieces().size(); id++) {
                int type = m.types().get(id);
                if (type == SentencePieceModelFile.Parts.UNKNOWN_TYPE || type == SentencePieceModelFile.Parts.CONTROL_TYPE) {
                    if (type == SentencePieceModelFile.Parts.UNKNOWN_TYPE) {
                        unk = id;
                    }
                    if (m.pieces().get(id).equals("</s>")) {
                        eos = id;
                    }
                    g.writeStartObject();
                    g.writeNumberField("id", id);
                    g.writeStringField("content", m.pieces().get(id));
                    g.writeBooleanField("single_word", false);
                    g.writeBooleanField("lstrip", false);
                    g.writeBooleanField("rstrip", false);
                    g.writeBooleanField("normalized", false);
                    g.writeBooleanField("special", true);
                    g.writeEndObject();
                }
            }
            g.writeEndArray();
            g.writeObjectFieldStart("normalizer");
            g.writeStringField("type", "Sequence");
            g.writeArrayFieldStart("normalizers");
            if (style.equals("albert")) {
                replace(g, "String", "``", "\"");
                replace(g, "String", "''", "\"");
                g.writeStartObject();
                g.writeStringField("type", "Lowercase");
                g.writeEndObject();
            }
            if (m.precompiledCharsmap() != null && m.precompiledCharsmap().length > 0) {
                g.writeStartObject();
                g.writeStringField("type", "Precompiled");
                g.writeStringField("precompiled_charsmap", Base64.getEncoder().encodeToString(m.precompiledCharsmap()));
                g.writeEndObject();
            }
            replace(g, "Regex", " {2,}", " ");
            g.writeEndArray();
            g.writeEndObject();
            String scheme = style.equals("first") ? "first" : "always";
            g.writeObjectFieldStart("pre_tokenizer");
            metaspace(g, scheme);
            g.writeEndObject();
            g.writeObjectFieldStart("post_processor");
            g.writeStringField("type", "TemplateProcessing");
            g.writeArrayFieldStart("single");
            g.writeStartObject();
            g.writeObjectFieldStart("Sequence");
            g.writeStringField("id", "A");
            g.writeNumberField("type_id", 0);
            g.writeEndObject();
            g.writeEndObject();
            g.writeStartObject();
            g.writeObjectFieldStart("SpecialToken");
            g.writeStringField("id", "</s>");
            g.writeNumberField("type_id", 0);
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndArray();
            g.writeArrayFieldStart("pair");
            g.writeEndArray();
            g.writeObjectFieldStart("special_tokens");
            g.writeObjectFieldStart("</s>");
            g.writeStringField("id", "</s>");
            g.writeArrayFieldStart("ids");
            g.writeNumber(eos);
            g.writeEndArray();
            g.writeArrayFieldStart("tokens");
            g.writeString("</s>");
            g.writeEndArray();
            g.writeEndObject();
            g.writeEndObject();
            g.writeEndObject();
            g.writeObjectFieldStart("decoder");
            metaspace(g, scheme);
            g.writeEndObject();
            g.writeObjectFieldStart("model");
            g.writeStringField("type", "Unigram");
            g.writeNumberField("unk_id", unk);
            g.writeArrayFieldStart("vocab");
            for (int id = 0; id < m.pieces().size(); id++) {
                g.writeStartArray();
                g.writeString(m.pieces().get(id));
                g.writeNumber((double) m.scores().get(id));
                g.writeEndArray();
            }
            g.writeEndArray();
            g.writeBooleanField("byte_fallback", m.byteFallback());
            g.writeEndObject();
            g.writeEndObject();
        }
    }

    private static void metaspace(JsonGenerator g, String scheme) throws IOException {
        g.writeStringField("type", "Metaspace");
        g.writeStringField("replacement", "\u2581");
        g.writeStringField("prepend_scheme", scheme);
        g.writeBooleanField("split", true);
    }

    private static void replace(JsonGenerator g, String kind, String pattern, String content) throws IOException {
        g.writeStartObject();
        g.writeStringField("type", "Replace");
        g.writeObjectFieldStart("pattern");
        g.writeStringField(kind, pattern);
        g.writeEndObject();
        g.writeStringField("content", content);
        g.writeEndObject();
    }
}
