package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Crosslingual token premiums (Arnett et al. 2025, arXiv 2510.21909; Petrov et al. 2023): the
 * corpus token count CTC of each language's version of a parallel text, divided by the reference
 * language's. Special tokens are never counted (the texts are encoded as ordinary text).
 */
final class TokenPremiums {
    private TokenPremiums() {
    }

    record Premium(String language, long tokens, double premium) {
    }

    static Map<String, Premium> of(Tokenizer tokenizer, Map<String, String> texts, String reference) {
        if (!texts.containsKey(reference)) {
            throw new IllegalArgumentException("the reference language '" + reference + "' is not among the texts");
        }
        Map<String, Long> counts = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : texts.entrySet()) {
            long n = 0;
            for (String line : e.getValue().split("\n")) {
                n += tokenizer.count(line);
            }
            counts.put(e.getKey(), n);
        }
        double base = counts.get(reference);
        Map<String, Premium> out = new LinkedHashMap<>();
        counts.forEach((language, n) -> out.put(language, new Premium(language, n, n / base)));
        return out;
    }
}
