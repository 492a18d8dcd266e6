package io.tokenlab.plugin.tokenizer.bpe;

/**
 * Reads a JSON number the way Hugging Face tokenizers does (serde_json without its
 * float_roundtrip feature): the decimal digits as an unsigned 64-bit integer, converted to a
 * double, then one multiplication or division by a power of ten. The result can differ from the
 * correctly rounded value by an ulp. Unigram scores are read so because exact ties between
 * segmentations (repetitive text) are broken by such last bits, and the ids must be Hugging Face's.
 */
final class JsonFloats {
    private static final double[] POW10 = new double[309];

    static {
        for (int i = 0; i < POW10.length; i++) {
            POW10[i] = Double.parseDouble("1e" + i);
        }
    }

    private JsonFloats() {
    }

    static double parse(String text) {
        int i = 0;
        int n = text.length();
        boolean negative = i < n && text.charAt(i) == '-';
        if (negative) {
            i++;
        }
        long significand = 0;
        int exponent = 0;
        boolean fraction = false;
        for (; i < n; i++) {
            char c = text.charAt(i);
            if (c == '.') {
                fraction = true;
                continue;
            }
            if (c == 'e' || c == 'E') {
                exponent += Integer.parseInt(text.substring(i + 1).replace("+", ""));
                break;
            }
            if (c < '0' || c > '9') {
                return Double.parseDouble(text);
            }
            int digit = c - '0';
            if (Long.compareUnsigned(significand, Long.divideUnsigned(-1L - digit, 10)) > 0) {
                return Double.parseDouble(text); // more digits than 64 bits hold: serde_json switches algorithm
            }
            significand = significand * 10 + digit;
            if (fraction) {
                exponent--;
            }
        }
        double f = unsignedToDouble(significand);
        while (true) {
            int abs = Math.abs(exponent);
            if (abs < POW10.length) {
                f = exponent >= 0 ? f * POW10[abs] : f / POW10[abs];
                break;
            }
            if (f == 0.0) {
                break;
            }
            if (exponent >= 0) {
                return Double.parseDouble(text);
            }
            f /= 1e308;
            exponent += 308;
        }
        return negative ? -f : f;
    }

    private static double unsignedToDouble(long v) {
        if (v >= 0) {
            return (double) v;
        }
        // above 2^63: halve (keeping the sticky bit), convert, double; the same rounding as a u64 cast
        double half = (double) ((v >>> 1) | (v & 1));
        return half * 2.0;
    }
}
