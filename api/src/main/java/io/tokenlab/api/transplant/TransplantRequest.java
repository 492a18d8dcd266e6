package io.tokenlab.api.transplant;

import io.tokenlab.api.tokenizer.Tokenizer;

import java.util.List;

/**
 * What a transplant works from: the base table (bound to the old vocabulary), the new vocabulary
 * (token strings), and optionally the old tokenizer (to decompose new tokens into old pieces) and an
 * auxiliary table in which both vocabularies have vectors (the donor space of OMP, FOCUS).
 */
public record TransplantRequest(EmbeddingTable base, List<String> targetVocabulary, Tokenizer baseTokenizer,
                                EmbeddingTable auxiliary) {
}
