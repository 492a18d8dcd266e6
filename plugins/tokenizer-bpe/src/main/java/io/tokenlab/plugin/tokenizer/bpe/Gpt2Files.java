package io.tokenlab.plugin.tokenizer.bpe;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import io.tokenlab.api.TechniqueException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * Reads GPT-2's own vocabulary: {@code encoder.json} (byte-level token string to id) and
 * {@code vocab.bpe} (the merges, in order). GPT-2 numbers merged tokens in merge order, so the
 * ids are the ranks and the result is tiktoken's r50k_base; the merges are checked against the
 * encoder so that a mismatched pair of files is an error, not a silently different tokenizer.
 */
final class Gpt2Files {
    static final String END_OF_TEXT = "<|endoftext|>";

    private Gpt2Files() {
    }

    static BpeVocabulary load(Path directory) {
        Path encoderFile = directory.resolve("encoder.json");
        Path mergesFile = directory.resolve("vocab.bpe");
        Map<String, Integer> encoder = readEncoder(encoderFile);
        int size = 0;
        for (int id : encoder.values()) {
            size = Math.max(size, id + 1);
        }
        byte[][] byId = new byte[size][];
        Map<String, Integer> specials = new HashMap<>();
        for (Map.Entry<String, Integer> e : encoder.entrySet()) {
            if (e.getKey().equals(END_OF_TEXT)) {
                specials.put(END_OF_TEXT, e.getValue());
                continue;
            }
            byte[] bytes = ByteLevelAlphabet.decode(e.getKey());
            if (bytes == null) {
                throw new TechniqueException(encoderFile + ": token '" + e.getKey()
                        + "' has characters outside GPT-2's byte alphabet");
            }
            if (byId[e.getValue()] != null) {
                throw new TechniqueException(encoderFile + ": id " + e.getValue() + " is used twice");
            }
            byId[e.getValue()] = bytes;
        }
        checkMerges(mergesFile, encoder);
        return RankedVocabularies.build(directory.toString(), byId, specials, TiktokenPatterns.GPT2_REGEX);
    }

    private static Map<String, Integer> readEncoder(Path file) {
        Map<String, Integer> encoder = new HashMap<>();
        try (JsonParser p = new JsonFactory().createParser(file.toFile())) {
            if (p.nextToken() != JsonToken.START_OBJECT) {
                throw new TechniqueException(file + ": expected a JSON object of token to id");
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
                String token = p.currentName();
                if (p.nextToken() != JsonToken.VALUE_NUMBER_INT) {
                    throw new TechniqueException(file + ": id of token '" + token + "' is not an integer");
                }
                encoder.put(token, p.getIntValue());
            }
        } catch (IOException e) {
            throw new TechniqueException(file + " is not valid JSON (truncated or corrupt): " + e.getMessage(), e);
        }
        if (encoder.size() < 256) {
            throw new TechniqueException(file + " has only " + encoder.size() + " tokens; a byte-level vocabulary has at least 256");
        }
        return encoder;
    }

    private static void checkMerges(Path file, Map<String, Integer> encoder) {
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            int merges = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                if (line.isEmpty() || (lineNumber == 1 && line.startsWith("#version"))) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (space <= 0 || space == line.length() - 1) {
                    throw new TechniqueException(file + ":" + lineNumber + ": expected '<left> <right>', found '" + line + "'");
                }
                String merged = line.substring(0, space) + line.substring(space + 1);
                Integer id = encoder.get(merged);
                if (id == null) {
                    throw new TechniqueException(file + ":" + lineNumber + ": merge '" + line + "' makes '" + merged
                            + "', which encoder.json does not have (files from different vocabularies?)");
                }
                merges++;
            }
            if (merges + 256 + 1 < encoder.size()) {
                throw new TechniqueException(file + " has " + merges + " merges, but encoder.json has "
                        + encoder.size() + " tokens (truncated?)");
            }
        } catch (IOException e) {
            throw new TechniqueException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }
}
