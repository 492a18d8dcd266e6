package io.tokenlab.plugin.tokenizer.bpe;

import java.text.Normalizer.Form;

/**
 * A Hugging Face normalizer step. Each step returns the new text and, for every new character,
 * the span of original characters it came from, so that offsets point into the caller's text.
 */
interface Normalizer {
    /** Normalized text with per-character origin spans (relative to the input of the step). */
    record Result(String text, int[] originStarts, int[] originEnds) {
        static Result identity(String text) {
            int[] starts = new int[text.length()];
            int[] ends = new int[text.length()];
            for (int i = 0; i < starts.length; i++) {
                starts[i] = i;
                ends[i] = i + 1;
            }
            return new Result(text, starts, ends);
        }

        /** This result applied after {@code earlier}: origins mapped through the earlier step. */
        Result after(Result earlier) {
            int[] starts = new int[text.length()];
            int[] ends = new int[text.length()];
            for (int i = 0; i < starts.length; i++) {
                int s = originStarts[i];
                int e = originEnds[i];
                starts[i] = s < earlier.originStarts.length ? earlier.originStarts[s]
                        : (earlier.originEnds.length == 0 ? 0 : earlier.originEnds[earlier.originEnds.length - 1]);
                ends[i] = e == s ? starts[i] : earlier.originEnds[e - 1];
            }
            return new Result(text, starts, ends);
        }
    }

    Result normalize(String text);

    /**
     * Prepends a string to non-empty text (SentencePiece's dummy prefix). As in Hugging Face, the
     * prefix takes the span of the first character.
     */
    static Normalizer prepend(String prefix) {
        return text -> {
            if (text.isEmpty()) {
                return Result.identity(text);
            }
            int n = prefix.length() + text.length();
            int[] starts = new int[n];
            int[] ends = new int[n];
            int first = Character.charCount(text.codePointAt(0));
            for (int i = 0; i < n; i++) {
                starts[i] = i < prefix.length() ? 0 : i - prefix.length();
                ends[i] = i < prefix.length() ? first : i - prefix.length() + 1;
            }
            return new Result(prefix + text, starts, ends);
        };
    }

    /**
     * Replaces every occurrence of a string. As in Hugging Face, the new characters count as
     * inserted after the occurrence, so they take the span of its last character.
     */
    static Normalizer replace(String from, String to) {
        return text -> {
            if (from.isEmpty() || !text.contains(from)) {
                return Result.identity(text);
            }
            StringBuilder out = new StringBuilder(text.length());
            IntList starts = new IntList(text.length());
            IntList ends = new IntList(text.length());
            int i = 0;
            while (i < text.length()) {
                if (text.startsWith(from, i)) {
                    for (int k = 0; k < to.length(); k++) {
                        out.append(to.charAt(k));
                        starts.add(i + from.length() - 1);
                        ends.add(i + from.length());
                    }
                    i += from.length();
                } else {
                    out.append(text.charAt(i));
                    starts.add(i);
                    ends.add(i + 1);
                    i++;
                }
            }
            return new Result(out.toString(), starts.toArray(), ends.toArray());
        };
    }

    /**
     * Unicode normalization. Text already in the form is returned as is (the common case);
     * otherwise each base character is normalized with the marks that follow it, which keeps an
     * exact origin span per output character.
     */
    static Normalizer unicode(Form form) {
        return text -> {
            if (java.text.Normalizer.isNormalized(text, form)) {
                return Result.identity(text);
            }
            StringBuilder out = new StringBuilder(text.length());
            IntList starts = new IntList(text.length());
            IntList ends = new IntList(text.length());
            int i = 0;
            while (i < text.length()) {
                int j = i + Character.charCount(text.codePointAt(i));
                while (j < text.length() && continuesCluster(text.codePointAt(j))) {
                    j += Character.charCount(text.codePointAt(j));
                }
                String normalized = java.text.Normalizer.normalize(text.substring(i, j), form);
                for (int k = 0; k < normalized.length(); k++) {
                    starts.add(i);
                    ends.add(j);
                }
                out.append(normalized);
                i = j;
            }
            return new Result(out.toString(), starts.toArray(), ends.toArray());
        };
    }

    private static boolean continuesCluster(int cp) {
        int type = Character.getType(cp);
        return type == Character.NON_SPACING_MARK || type == Character.COMBINING_SPACING_MARK
                || type == Character.ENCLOSING_MARK || (cp >= 0x1160 && cp <= 0x11FF);
    }

    /** Steps in order. */
    static Normalizer sequence(java.util.List<Normalizer> steps) {
        return text -> {
            Result r = Result.identity(text);
            for (Normalizer step : steps) {
                r = step.normalize(r.text()).after(r);
            }
            return r;
        };
    }
}
