package io.tokenlab.plugin.tokenizer.trainer;

import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.tokenlab.api.TechniqueException;

import java.io.IOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.List;
import java.util.Map;

/**
 * Writes a trained vocabulary as a Hugging Face {@code tokenizer.json}: a byte-level BPE model
 * (tokens and merges spelled with GPT-2's byte alphabet), the pre-tokenizer that matches the
 * trainer's pre-tokenization, the ByteLevel decoder, and the special tokens as added tokens.
 */
final class TokenizerJsonWriter {
    private TokenizerJsonWriter() {
    }

    /** A JSON string literal, escaped by Jackson as Hugging Face's parser reads it back. */
    static String quoted(String s) {
        return '"' + new String(JsonStringEncoder.getInstance().quoteAsString(s)) + '"';
    }

    static String toJson(TrainedBpe bpe) {
        List<byte[]> tokens = bpe.tokens();
        StringBuilder sb = new StringBuilder(tokens.size() * 24);
        sb.append("{\n  \"version\": \"1.0\",\n  \"truncation\": null,\n  \"padding\": null,\n  \"added_tokens\": [");
        boolean first = true;
        for (Map.Entry<String, Integer> special : bpe.specialIds().entrySet()) {
            sb.append(first ? "\n    " : ",\n    ");
            first = false;
            sb.append("{\"id\": ").append(special.getValue()).append(", \"content\": ").append(quoted(special.getKey()))
                    .append(", \"single_word\": false, \"lstrip\": false, \"rstrip\": false, \"normalized\": false, \"special\": true}");
        }
        sb.append(first ? "],\n" : "\n  ],\n");
        sb.append("  \"normalizer\": null,\n");
        sb.append("  \"pre_tokenizer\": ").append(bpe.preTokenization().preTokenizerJson()).append(",\n");
        sb.append("  \"post_processor\": null,\n");
        sb.append("  \"decoder\": {\"type\": \"ByteLevel\", \"add_prefix_space\": true, \"trim_offsets\": true, \"use_regex\": true},\n");
        sb.append("  \"model\": {\n    \"type\": \"BPE\",\n    \"dropout\": null,\n    \"unk_token\": null,\n"
                + "    \"continuing_subword_prefix\": null,\n    \"end_of_word_suffix\": null,\n    \"fuse_unk\": false,\n"
                + "    \"byte_fallback\": false,\n    \"ignore_merges\": false,\n    \"vocab\": {");
        for (int id = 0; id < tokens.size(); id++) {
            sb.append(id == 0 ? "\n      " : ",\n      ").append(quoted(ByteLevel.spell(tokens.get(id)))).append(": ").append(id);
        }
        sb.append("\n    },\n    \"merges\": [");
        List<int[]> merges = bpe.merges();
        for (int i = 0; i < merges.size(); i++) {
            // byte-level spellings never contain a space, so the "left right" string form is unambiguous
            sb.append(i == 0 ? "\n      " : ",\n      ").append(quoted(ByteLevel.spell(tokens.get(merges.get(i)[0]))
                    + " " + ByteLevel.spell(tokens.get(merges.get(i)[1]))));
        }
        sb.append("\n    ]\n  }\n}\n");
        return sb.toString();
    }

    /** Writes next to the target and renames over it, so a failed run never leaves half a file. */
    static void write(TrainedBpe bpe, Path output) {
        try {
            Path dir = output.toAbsolutePath().getParent();
            Files.createDirectories(dir);
            Path tmp = Files.createTempFile(dir, "." + output.getFileName(), ".tmp");
            try {
                try (Writer w = Files.newBufferedWriter(tmp, StandardCharsets.UTF_8)) {
                    w.write(toJson(bpe));
                }
                try {
                    // temporary files are private; the vocabulary is an ordinary output file
                    Files.setPosixFilePermissions(tmp, java.nio.file.attribute.PosixFilePermissions.fromString("rw-r--r--"));
                } catch (UnsupportedOperationException e) {
                    // not a POSIX file system: keep its defaults
                }
                Files.move(tmp, output, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
            } finally {
                Files.deleteIfExists(tmp);
            }
        } catch (IOException e) {
            throw new TechniqueException("cannot write " + output + ": " + e.getMessage(), e);
        }
    }
}
