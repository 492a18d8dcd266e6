package io.tokenlab.plugin.tokenizer.analysis;

import io.tokenlab.api.tokenizer.Encoding;
import io.tokenlab.api.tokenizer.Tokenizer;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/** Small tokenizers whose outputs can be worked out by hand. */
final class FakeTokenizers {
    private FakeTokenizers() {
    }

    /** Greedy longest match over a fixed list of tokens (single bytes a..z and space always present). */
    static Tokenizer longestMatch(List<String> extraTokens) {
        List<String> tokens = new ArrayList<>();
        for (char c = 'a'; c <= 'z'; c++) {
            tokens.add(String.valueOf(c));
        }
        tokens.add(" ");
        tokens.addAll(extraTokens);
        return new Tokenizer() {
            @Override
            public int vocabularySize() {
                return tokens.size();
            }

            @Override
            public Set<String> specialTokens() {
                return Set.of();
            }

            @Override
            public int[] encode(String text, Set<String> allowedSpecial) {
                List<Integer> out = new ArrayList<>();
                int i = 0;
                while (i < text.length()) {
                    int best = -1;
                    for (int id = 0; id < tokens.size(); id++) {
                        if (text.startsWith(tokens.get(id), i) && (best < 0 || tokens.get(id).length() > tokens.get(best).length())) {
                            best = id;
                        }
                    }
                    out.add(best);
                    i += tokens.get(best).length();
                }
                return out.stream().mapToInt(Integer::intValue).toArray();
            }

            @Override
            public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] decodeBytes(int[] ids) {
                StringBuilder sb = new StringBuilder();
                for (int id : ids) {
                    sb.append(tokens.get(id));
                }
                return sb.toString().getBytes(StandardCharsets.UTF_8);
            }
        };
    }

    /** One token per whitespace-separated word. */
    static Tokenizer words() {
        return new Tokenizer() {
            @Override
            public int vocabularySize() {
                return 1;
            }

            @Override
            public Set<String> specialTokens() {
                return Set.of();
            }

            @Override
            public int[] encode(String text, Set<String> allowedSpecial) {
                return text.isBlank() ? new int[0] : new int[text.strip().split("\\s+").length];
            }

            @Override
            public Encoding encodeWithOffsets(String text, Set<String> allowedSpecial) {
                throw new UnsupportedOperationException();
            }

            @Override
            public byte[] decodeBytes(int[] ids) {
                throw new UnsupportedOperationException();
            }
        };
    }
}
