package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.TechniqueException;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;

/** Reads a tiktoken rank file: one {@code <base64 bytes> <rank>} per line. */
final class TiktokenFile {
    private TiktokenFile() {
    }

    static BpeVocabulary load(Path file, TiktokenEncoding encoding) {
        byte[][] byRank = new byte[encoding.rankCount + encoding.specialTokens.size() + 64][];
        int count = 0;
        int maxRank = -1;
        Base64.Decoder base64 = Base64.getDecoder();
        try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
            int lineNumber = 0;
            for (String line; (line = in.readLine()) != null; ) {
                lineNumber++;
                if (line.isEmpty()) {
                    continue;
                }
                int space = line.indexOf(' ');
                if (space <= 0) {
                    throw corrupt(file, lineNumber, "expected '<base64> <rank>'");
                }
                byte[] bytes;
                int rank;
                try {
                    bytes = base64.decode(line.substring(0, space));
                    rank = Integer.parseInt(line.substring(space + 1).trim());
                } catch (IllegalArgumentException e) {
                    throw corrupt(file, lineNumber, e.getMessage());
                }
                if (rank < 0 || rank >= byRank.length) {
                    throw corrupt(file, lineNumber, "rank " + rank + " is outside 0.." + (byRank.length - 1)
                            + " expected for " + encoding.encodingName);
                }
                if (byRank[rank] != null) {
                    throw corrupt(file, lineNumber, "rank " + rank + " appears twice");
                }
                if (bytes.length == 0) {
                    throw corrupt(file, lineNumber, "empty token");
                }
                byRank[rank] = bytes;
                count++;
                maxRank = Math.max(maxRank, rank);
            }
        } catch (IOException e) {
            throw new TechniqueException("cannot read tiktoken file " + file + ": " + e.getMessage(), e);
        }
        if (count != encoding.rankCount) {
            throw new TechniqueException("tiktoken file " + file + " has " + count + " ranks, but "
                    + encoding.encodingName + " has " + encoding.rankCount + " (truncated or a different encoding)");
        }
        return RankedVocabularies.build(file.toString(), java.util.Arrays.copyOf(byRank, maxRank + 1),
                encoding.specialTokens, encoding.regex);
    }

    private static TechniqueException corrupt(Path file, int line, String problem) {
        return new TechniqueException("tiktoken file " + file + ":" + line + " is corrupt: " + problem);
    }
}
