package io.tokenlab.plugin.tokenizer.bpe;

import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * A Hugging Face decoder step: token strings in, token strings out; the decoded text is the
 * final strings joined. Each step does what the Rust decoder of the same name does.
 */
interface TokenDecoder {
    List<String> decode(List<String> tokens);

    /** Steps in order. */
    static TokenDecoder sequence(List<TokenDecoder> steps) {
        return tokens -> {
            List<String> t = tokens;
            for (TokenDecoder step : steps) {
                t = step.decode(t);
            }
            return t;
        };
    }

    /** WordPiece: continuation prefixes removed, other tokens after the first get a space, BERT's cleanup. */
    static TokenDecoder wordPiece(String prefix, boolean cleanup) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i != 0) {
                    t = t.startsWith(prefix) ? t.substring(prefix.length()) : " " + t;
                }
                out.add(cleanup ? cleanup(t) : t);
            }
            return out;
        };
    }

    /** The spacing fixes of BERT's original detokenizer (space before punctuation and English clitics). */
    static String cleanup(String s) {
        return s.replace(" .", ".").replace(" ?", "?").replace(" !", "!").replace(" ,", ",").replace(" ' ", "'")
                .replace(" n't", "n't").replace(" 'm", "'m").replace(" do not", " don't").replace(" 's", "'s")
                .replace(" 've", "'ve").replace(" 're", "'re");
    }

    /** Metaspace: the replacement becomes a space, except in the first token when a prefix was prepended. */
    static TokenDecoder metaspace(char replacement, boolean prefixWasPrepended) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                String t = tokens.get(i);
                if (i == 0 && prefixWasPrepended) {
                    out.add(t.replace(String.valueOf(replacement), ""));
                } else {
                    out.add(t.replace(replacement, ' '));
                }
            }
            return out;
        };
    }

    /** ByteFallback: runs of {@code <0xXX>} tokens become the text their bytes spell (U+FFFD per byte if invalid). */
    static TokenDecoder byteFallback() {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            int run = 0;
            for (String t : tokens) {
                int b = t.length() == 6 && t.startsWith("<0x") && t.endsWith(">") ? hexByte(t) : -1;
                if (b >= 0) {
                    bytes.write(b);
                    run++;
                    continue;
                }
                flush(bytes, run, out);
                run = 0;
                out.add(t);
            }
            flush(bytes, run, out);
            return out;
        };
    }

    private static int hexByte(String t) {
        try {
            return Integer.parseInt(t.substring(3, 5), 16);
        } catch (NumberFormatException e) {
            return -1;
        }
    }

    private static void flush(java.io.ByteArrayOutputStream bytes, int run, List<String> out) {
        if (run == 0) {
            return;
        }
        try {
            out.add(StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(java.nio.ByteBuffer.wrap(bytes.toByteArray())).toString());
        } catch (CharacterCodingException e) {
            for (int i = 0; i < run; i++) {
                out.add("\uFFFD");
            }
        }
        bytes.reset();
    }

    /** Fuse: all tokens as one. */
    static TokenDecoder fuse() {
        return tokens -> List.of(String.join("", tokens));
    }

    /** Strip: up to {@code start} leading and {@code stop} trailing occurrences of a character removed from each token. */
    static TokenDecoder strip(char content, int start, int stop) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                int a = 0;
                while (a < start && a < t.length() && t.charAt(a) == content) {
                    a++;
                }
                int b = t.length();
                int removed = 0;
                while (removed < stop && b > a && t.charAt(b - 1) == content) {
                    b--;
                    removed++;
                }
                out.add(t.substring(a, b));
            }
            return out;
        };
    }

    /** Replace: a literal string replaced in each token. */
    static TokenDecoder replace(String from, String to) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (String t : tokens) {
                out.add(t.replace(from, to));
            }
            return out;
        };
    }

    /** BPEDecoder: the end-of-word suffix becomes a space (nothing after the last token). */
    static TokenDecoder bpeSuffix(String suffix) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            for (int i = 0; i < tokens.size(); i++) {
                out.add(tokens.get(i).replace(suffix, i == tokens.size() - 1 ? "" : " "));
            }
            return out;
        };
    }

    /** CTC: repeated tokens collapsed, padding removed, the word delimiter a space, BERT's cleanup. */
    static TokenDecoder ctc(String pad, String wordDelimiter, boolean cleanup) {
        return tokens -> {
            List<String> out = new ArrayList<>(tokens.size());
            String previous = null;
            for (String t : tokens) {
                if (t.equals(previous)) {
                    continue;
                }
                previous = t;
                String r = t.replace(pad, "");
                if (cleanup) {
                    r = cleanup(r).replace(wordDelimiter, " ");
                }
                if (!r.isEmpty()) {
                    out.add(r);
                }
            }
            return out;
        };
    }

    /** ByteLevel: the tokens' byte-level characters back to bytes, read as UTF-8 (U+FFFD where invalid). */
    static TokenDecoder byteLevel() {
        return tokens -> {
            java.io.ByteArrayOutputStream bytes = new java.io.ByteArrayOutputStream();
            for (String t : tokens) {
                byte[] b = ByteLevelAlphabet.decode(t);
                bytes.writeBytes(b != null ? b : t.getBytes(StandardCharsets.UTF_8));
            }
            return List.of(new String(bytes.toByteArray(), StandardCharsets.UTF_8));
        };
    }

    /** No decoder: tokens joined with spaces, as Hugging Face does. */
    TokenDecoder SPACE_JOINED = tokens -> List.of(String.join(" ", tokens));
}
