package io.tokenlab.plugin.decoder.awrs;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits a range of code points into sequences of byte ranges whose concatenations are exactly the
 * UTF-8 encodings of that range: how a character class over code points becomes byte transitions.
 */
final class Utf8Ranges {
    private static final int[] MAX_OF_LENGTH = {0x7F, 0x7FF, 0xFFFF, 0x10FFFF};

    private Utf8Ranges() {
    }

    /** Each element is {lo1, hi1, lo2, hi2, ...}: one byte range per position. */
    static List<int[]> of(int lo, int hi) {
        List<int[]> out = new ArrayList<>();
        // surrogates have no UTF-8 encoding
        if (lo <= 0xDFFF && hi >= 0xD800) {
            if (lo < 0xD800) {
                split(lo, 0xD7FF, out);
            }
            if (hi > 0xDFFF) {
                split(0xE000, hi, out);
            }
        } else {
            split(lo, hi, out);
        }
        return out;
    }

    private static void split(int lo, int hi, List<int[]> out) {
        if (lo > hi) {
            return;
        }
        for (int n = 0; n < 3; n++) {
            if (lo <= MAX_OF_LENGTH[n] && hi > MAX_OF_LENGTH[n]) {
                split(lo, MAX_OF_LENGTH[n], out);
                split(MAX_OF_LENGTH[n] + 1, hi, out);
                return;
            }
        }
        int length = length(lo);
        for (int i = 1; i < length; i++) {
            int m = (1 << (6 * i)) - 1;
            if ((lo & ~m) != (hi & ~m)) {
                if ((lo & m) != 0) {
                    split(lo, lo | m, out);
                    split((lo | m) + 1, hi, out);
                    return;
                }
                if ((hi & m) != m) {
                    split(lo, (hi & ~m) - 1, out);
                    split(hi & ~m, hi, out);
                    return;
                }
            }
        }
        byte[] a = encode(lo, length);
        byte[] b = encode(hi, length);
        int[] ranges = new int[length * 2];
        for (int i = 0; i < length; i++) {
            ranges[2 * i] = a[i] & 0xff;
            ranges[2 * i + 1] = b[i] & 0xff;
        }
        out.add(ranges);
    }

    private static int length(int cp) {
        return cp <= 0x7F ? 1 : cp <= 0x7FF ? 2 : cp <= 0xFFFF ? 3 : 4;
    }

    private static byte[] encode(int cp, int length) {
        byte[] b = new byte[length];
        switch (length) {
            case 1 -> b[0] = (byte) cp;
            case 2 -> {
                b[0] = (byte) (0xC0 | (cp >> 6));
                b[1] = (byte) (0x80 | (cp & 0x3F));
            }
            case 3 -> {
                b[0] = (byte) (0xE0 | (cp >> 12));
                b[1] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[2] = (byte) (0x80 | (cp & 0x3F));
            }
            default -> {
                b[0] = (byte) (0xF0 | (cp >> 18));
                b[1] = (byte) (0x80 | ((cp >> 12) & 0x3F));
                b[2] = (byte) (0x80 | ((cp >> 6) & 0x3F));
                b[3] = (byte) (0x80 | (cp & 0x3F));
            }
        }
        return b;
    }
}
