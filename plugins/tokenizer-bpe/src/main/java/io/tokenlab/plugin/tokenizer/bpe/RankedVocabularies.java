package io.tokenlab.plugin.tokenizer.bpe;

import io.tokenlab.api.TechniqueException;

import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Builds a vocabulary with tiktoken semantics from byte strings ranked by id (tiktoken rank
 * files and GPT-2's encoder.json both reduce to this): a token's rank is its id, a piece that is
 * a token is that token, otherwise the adjacent pair whose concatenation ranks lowest merges.
 */
final class RankedVocabularies {
    private RankedVocabularies() {
    }

    static BpeVocabulary build(String source, byte[][] bytesByRank, Map<String, Integer> specials, String regex) {
        TokenBytesTable table = TokenBytesTable.of(bytesByRank);
        int[] byteIds = new int[256];
        for (int b = 0; b < 256; b++) {
            byteIds[b] = table.idOf(new byte[] {(byte) b});
            if (byteIds[b] < 0) {
                throw new TechniqueException(source + ": no token for the single byte 0x" + String.format("%02X", b)
                        + "; the file is truncated or not a byte-level BPE vocabulary");
            }
        }
        // every split of a token into two tokens is a merge with the token's rank
        PairMergeTable merges = new PairMergeTable(bytesByRank.length * 3);
        for (int id = 0; id < bytesByRank.length; id++) {
            byte[] b = bytesByRank[id];
            if (b == null || b.length < 2) {
                continue;
            }
            for (int k = 1; k < b.length; k++) {
                int left = table.idOf(b, 0, k);
                if (left < 0) {
                    continue;
                }
                int right = table.idOf(b, k, b.length - k);
                if (right >= 0) {
                    merges.put(left, right, id, id);
                }
            }
        }
        int size = bytesByRank.length;
        for (int id : specials.values()) {
            size = Math.max(size, id + 1);
        }
        byte[][] decode = java.util.Arrays.copyOf(bytesByRank, size);
        specials.forEach((text, id) -> {
            if (id < bytesByRank.length && bytesByRank[id] != null) {
                throw new TechniqueException(source + ": special token " + text + " has id " + id
                        + ", which the file already gives to an ordinary token");
            }
            decode[id] = text.getBytes(StandardCharsets.UTF_8);
        });
        return assemble(source, table, merges, byteIds, TokenBytesTable.of(decode), size, specials, regex);
    }

    /** The vocabulary from its built tables (by {@link #build}, or as the binary cache kept them). */
    static BpeVocabulary assemble(String source, TokenBytesTable table, PairMergeTable merges, int[] byteIds,
                                  TokenBytesTable decode, int size, Map<String, Integer> specials, String regex) {
        AddedTokens added = new AddedTokens();
        specials.forEach((text, id) -> added.add(text, id, true));
        PreTokenizer pre = TiktokenPatterns.forRegex(regex);
        BpeModel model = new BpeModel(table, merges, true, true, byteIds, -1, false);
        return new BpeVocabulary(source, null, pre, model, added, decode, size, 0);
    }
}
