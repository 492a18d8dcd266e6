package io.tokenlab.plugin.decoder.goose;

/**
 * Prompt-lookup drafting (Saxena 2023, "Prompt lookup decoding"): the most recent earlier
 * occurrence of the sequence's longest matching suffix n-gram predicts the tokens that followed it.
 */
final class PromptLookup {
    private PromptLookup() {
    }

    /** Up to {@code maxDraft} tokens that followed the latest earlier match of a suffix of length maxNgram..1. */
    static int[] draft(int[] sequence, int length, int maxNgram, int maxDraft) {
        for (int n = Math.min(maxNgram, length - 1); n >= 1; n--) {
            for (int start = length - n - 1; start >= 0; start--) {
                if (matches(sequence, start, length - n, n)) {
                    // copy what followed the match; past the sequence's end the copy reads its own output,
                    // as LZ77 does, so a repeating stretch drafts its continuation at any length
                    int from = start + n;
                    int[] out = new int[maxDraft];
                    for (int i = 0; i < maxDraft; i++) {
                        int at = from + i;
                        out[i] = at < length ? sequence[at] : out[at - length];
                    }
                    return out;
                }
            }
        }
        return new int[0];
    }

    private static boolean matches(int[] s, int a, int b, int n) {
        for (int i = 0; i < n; i++) {
            if (s[a + i] != s[b + i]) {
                return false;
            }
        }
        return true;
    }
}
