package io.tokenlab.plugin.tokenizer.bpe;

import com.fasterxml.jackson.core.JsonEncoding;
import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;

/**
 * Converts a SentencePiece unigram {@code .model} into the {@code tokenizer.json} Hugging Face's
 * converters (T5, ALBERT) make of it, for comparing the two readers on the same model and for
 * users who need the file.
 */
public final class SentencePieceConversion {
    private SentencePieceConversion() {
    }

    /**
     * Writes the tokenizer.json that Hugging Face's converter writes for a SentencePiece unigram
     * model: its pieces and scores as a Unigram model, the precompiled rules as a Precompiled
     * normalizer followed by collapsing runs of spaces, Metaspace pre-tokenizer and decoder, the
     * unknown and control pieces as special added tokens, and {@code </s>} after the text.
     *
     * @param style "t5" (Metaspace prepend_scheme always), "first" (prepend_scheme first) or
     *              "albert" (as t5, after ALBERT's quote replacements and lowercasing)
     */
    public static void writeTokenizerJson(Path model, String style, Path out) throws IOException {
        if (!List.of("t5", "first", "albert").contains(style)) {
            throw new IllegalArgumentException("style '" + style + "': accepted t5, first, albert");
        }
        SentencePieceModelFile.Parts m = SentencePieceModelFile.parts(model);
        if (!m.unigram()) {
            throw new IllegalArgumentException(model + " is not a unigram model");
        }
        try (JsonGenerator g = new JsonFactory().createGenerator(out.toFile(), JsonEncoding.UTF8)) {
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
