package io.tokenlab.plugin.tokenizer.bpe;

import java.util.Map;

/**
 * The tiktoken encodings: which pre-tokenization pattern and special tokens go with each rank
 * file, and how many ranks a complete file has (a shorter file is truncated).
 */
enum TiktokenEncoding {
    R50K_BASE("r50k_base", TiktokenPatterns.GPT2_REGEX, 50256, Map.of("<|endoftext|>", 50256)),
    P50K_BASE("p50k_base", TiktokenPatterns.GPT2_REGEX, 50280, Map.of("<|endoftext|>", 50256)),
    CL100K_BASE("cl100k_base", TiktokenPatterns.CL100K_REGEX, 100256, Map.of(
            "<|endoftext|>", 100257, "<|fim_prefix|>", 100258, "<|fim_middle|>", 100259,
            "<|fim_suffix|>", 100260, "<|endofprompt|>", 100276)),
    O200K_BASE("o200k_base", TiktokenPatterns.O200K_REGEX, 199998, Map.of(
            "<|endoftext|>", 199999, "<|endofprompt|>", 200018));

    final String encodingName;
    final String regex;
    final int rankCount;
    final Map<String, Integer> specialTokens;

    TiktokenEncoding(String encodingName, String regex, int rankCount, Map<String, Integer> specialTokens) {
        this.encodingName = encodingName;
        this.regex = regex;
        this.rankCount = rankCount;
        this.specialTokens = specialTokens;
    }

    static TiktokenEncoding byName(String name) {
        for (TiktokenEncoding e : values()) {
            if (e.encodingName.equals(name)) {
                return e;
            }
        }
        return null;
    }

    /** The encoding a rank file belongs to, from its file name ({@code cl100k_base.tiktoken}). */
    static TiktokenEncoding forFileName(String fileName) {
        for (TiktokenEncoding e : values()) {
            if (fileName.startsWith(e.encodingName)) {
                return e;
            }
        }
        return null;
    }
}
