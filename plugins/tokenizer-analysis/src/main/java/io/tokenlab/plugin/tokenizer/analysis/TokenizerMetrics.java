package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * What a tokenizer does to a text, in the measures the papers use: bytes per token, tokens per
 * character, unigram entropy, conditional entropies H_1..H_5, capacity utilisation H1/log2 V and
 * Rényi efficiency H_2/log2 V (α = 2).
 */
record TokenizerMetrics(long bytes, long chars, long tokens, int vocabularySize, double unigramEntropy,
                        double[] conditionalEntropies, double renyiEntropy) {
    static final int MAX_ORDER = 5;
    static final double RENYI_ALPHA = 2.0;

    static TokenizerMetrics of(Tokenizer tokenizer, List<String> lines) {
        List<int[]> encoded = new ArrayList<>(lines.size());
        long bytes = 0;
        long chars = 0;
        for (String line : lines) {
            encoded.add(tokenizer.encode(line));
            bytes += line.getBytes(StandardCharsets.UTF_8).length;
            chars += line.codePointCount(0, line.length());
        }
        int total = encoded.stream().mapToInt(a -> a.length).sum();
        int[] stream = new int[total];
        int at = 0;
        for (int[] ids : encoded) {
            System.arraycopy(ids, 0, stream, at, ids.length);
            at += ids.length;
        }
        return ofStream(stream, bytes, chars, tokenizer.vocabularySize());
    }

    static TokenizerMetrics ofStream(int[] stream, long bytes, long chars, int vocabularySize) {
        double[] h = new double[MAX_ORDER];
        for (int k = 1; k <= MAX_ORDER; k++) {
            h[k - 1] = StreamEntropy.conditionalEntropy(stream, k);
        }
        return new TokenizerMetrics(bytes, chars, stream.length, vocabularySize, h[0], h,
                StreamEntropy.renyi(stream, RENYI_ALPHA));
    }

    double bytesPerToken() {
        return (double) bytes / tokens;
    }

    double tokensPerChar() {
        return (double) tokens / chars;
    }

    double efficiency() {
        return unigramEntropy / log2(vocabularySize);
    }

    double renyiEfficiency() {
        return renyiEntropy / log2(vocabularySize);
    }

    private static double log2(double x) {
        return Math.log(x) / Math.log(2);
    }

    List<String> report() {
        List<String> out = new ArrayList<>();
        out.add("tokens\t" + tokens);
        out.add("bytes_per_token\t" + String.format("%.4f", bytesPerToken()));
        out.add("tokens_per_char\t" + String.format("%.4f", tokensPerChar()));
        for (int k = 1; k <= MAX_ORDER; k++) {
            out.add("H" + k + "_bits\t" + String.format("%.4f", conditionalEntropies[k - 1]));
        }
        out.add("efficiency_H1_over_log2V\t" + String.format("%.4f", efficiency()));
        out.add("renyi_efficiency_alpha2\t" + String.format("%.4f", renyiEfficiency()));
        return out;
    }
}
