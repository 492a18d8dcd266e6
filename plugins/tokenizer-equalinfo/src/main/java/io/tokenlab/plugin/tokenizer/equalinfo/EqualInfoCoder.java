package io.tokenlab.plugin.tokenizer.equalinfo;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;

/**
 * Equal-Info Windows (Lester et al., TMLR 2024): text is arithmetic-coded with a byte model, but
 * the coder and the model's context restart at every window, and a window takes bytes while its
 * code still fits in {@code windowBits} bits. Each window is written as exactly that many bits
 * and grouped into {@code tokenBits}-bit tokens, so every token carries about the same
 * information and a window can be decoded on its own.
 *
 * <p>The coder is exact: the interval is kept as integers {@code [low, low + width)} in units of
 * {@code 2^-scale} (BigInteger), with no renormalisation. A window's code is the number {@code k}
 * of a dyadic interval {@code [k 2^-b, (k+1) 2^-b)} inside the final interval.
 *
 * <p>Ending a window needs care (the paper's App. D.5): the b bits alone do not say how many
 * bytes they hold, since the dyadic interval also lies inside the interval of a longer text. Here
 * each window ends with an end-of-window symbol that the model gives the fixed probability
 * {@code 2^-endBits} in every context, which the decoder reads to stop. The byte probabilities
 * are quantised to {@code 2^precision} steps with at least one step per byte, and
 * {@code precision + endBits + 1 <= windowBits}: then any single byte and the end symbol fit in a
 * window (an interval of width {@code 2^-(m)} always holds a dyadic interval of width
 * {@code 2^-(m+1)}), so every window makes progress.
 */
public final class EqualInfoCoder {
    private static final int END = 256;

    private final ByteNgramModel model;
    private final int windowBits;
    private final int tokenBits;
    private final int endBits;
    private final int precision;

    public EqualInfoCoder(ByteNgramModel model, int windowBits, int tokenBits, int endBits) {
        if (tokenBits < 1 || tokenBits > 30 || windowBits % tokenBits != 0) {
            throw new IllegalArgumentException("window bits (" + windowBits + ") must be a multiple of token bits ("
                    + tokenBits + "), which must be 1..30");
        }
        if (endBits < 1 || windowBits - endBits - 1 < 9) {
            throw new IllegalArgumentException("window of " + windowBits + " bits is too small for an end symbol of "
                    + endBits + " bits and 256 bytes");
        }
        this.model = model;
        this.windowBits = windowBits;
        this.tokenBits = tokenBits;
        this.endBits = endBits;
        this.precision = Math.min(16, windowBits - endBits - 1);
    }

    public int vocabularySize() {
        return 1 << tokenBits;
    }

    /** Tokens per window. */
    public int tokensPerWindow() {
        return windowBits / tokenBits;
    }

    /** The cumulative frequencies (258 entries, total {@code 2^precision}) after the given history. */
    private int[] cumulative(byte[] history, int from, int to, double[] scratch) {
        model.distribution(history, from, to, scratch);
        int total = 1 << precision;
        int end = 1 << (precision - endBits);
        int spare = total - end - 256; // steps beyond the one every byte gets
        int[] freq = new int[257];
        int used = 0;
        int most = 0;
        for (int x = 0; x < 256; x++) {
            freq[x] = 1 + (int) Math.floor(scratch[x] * spare);
            used += freq[x];
            if (freq[x] > freq[most]) {
                most = x;
            }
        }
        freq[most] += total - end - used; // rounding leftovers go to the likeliest byte
        freq[END] = end;
        int[] cum = new int[258];
        for (int x = 0; x < 257; x++) {
            cum[x + 1] = cum[x] + freq[x];
        }
        return cum;
    }

    /** The window codes of the bytes, one b-bit number per window. */
    public List<BigInteger> encodeWindows(byte[] text) {
        List<BigInteger> windows = new ArrayList<>();
        double[] scratch = new double[256];
        int start = 0;
        while (start < text.length) {
            Interval accepted = Interval.UNIT;
            int end = start;
            while (end < text.length) {
                int[] cum = cumulative(text, start, end, scratch);
                Interval withByte = accepted.narrow(cum, text[end] & 0xff, precision);
                Interval closed = withByte.narrow(cumulative(text, start, end + 1, scratch), END, precision);
                if (closed.dyadic(windowBits) == null) {
                    break;
                }
                accepted = withByte;
                end++;
            }
            Interval closed = accepted.narrow(cumulative(text, start, end, scratch), END, precision);
            BigInteger code = closed.dyadic(windowBits);
            if (end == start || code == null) {
                throw new IllegalStateException("window at byte " + start + " made no progress"); // excluded above
            }
            windows.add(code);
            start = end;
        }
        return windows;
    }

    /** The bytes of the windows, each decoded until its end symbol. */
    public byte[] decodeWindows(List<BigInteger> windows) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        double[] scratch = new double[256];
        for (BigInteger code : windows) {
            ByteArrayOutputStream window = new ByteArrayOutputStream();
            Interval current = Interval.UNIT;
            while (true) {
                byte[] history = window.toByteArray();
                int[] cum = cumulative(history, 0, history.length, scratch);
                int symbol = current.symbolAt(code, windowBits, cum, precision);
                if (symbol == END) {
                    break;
                }
                window.write(symbol);
                current = current.narrow(cum, symbol, precision);
                if (window.size() > (long) windowBits << 10) { // far more than any model can pack into b bits
                    throw new IllegalArgumentException("window code " + code + " has no end symbol");
                }
            }
            out.writeBytes(window.toByteArray());
        }
        return out.toByteArray();
    }

    /** The text as tokens: each window's b bits, most significant first, in N-bit groups. */
    public int[] encode(byte[] text) {
        List<BigInteger> windows = encodeWindows(text);
        int per = tokensPerWindow();
        int[] tokens = new int[windows.size() * per];
        BigInteger mask = BigInteger.ONE.shiftLeft(tokenBits).subtract(BigInteger.ONE);
        for (int w = 0; w < windows.size(); w++) {
            for (int t = 0; t < per; t++) {
                tokens[w * per + t] = windows.get(w).shiftRight((per - 1 - t) * tokenBits).and(mask).intValue();
            }
        }
        return tokens;
    }

    public byte[] decode(int[] tokens) {
        int per = tokensPerWindow();
        if (tokens.length % per != 0) {
            throw new IllegalArgumentException(tokens.length + " tokens are not whole windows of " + per);
        }
        List<BigInteger> windows = new ArrayList<>();
        for (int w = 0; w < tokens.length; w += per) {
            BigInteger code = BigInteger.ZERO;
            for (int t = 0; t < per; t++) {
                int token = tokens[w + t];
                if (token < 0 || token >= vocabularySize()) {
                    throw new IllegalArgumentException("token " + token + " is outside 0.." + (vocabularySize() - 1));
                }
                code = code.shiftLeft(tokenBits).or(BigInteger.valueOf(token));
            }
            windows.add(code);
        }
        return decodeWindows(windows);
    }

    /** {@code [low, low + width)} in units of {@code 2^-scale}. */
    private record Interval(BigInteger low, BigInteger width, int scale) {
        static final Interval UNIT = new Interval(BigInteger.ZERO, BigInteger.ONE, 0);

        Interval narrow(int[] cum, int symbol, int precision) {
            return new Interval(low.shiftLeft(precision).add(width.multiply(BigInteger.valueOf(cum[symbol]))),
                    width.multiply(BigInteger.valueOf(cum[symbol + 1] - cum[symbol])), scale + precision);
        }

        /** The smallest k with {@code [k 2^-b, (k+1) 2^-b)} inside this interval, or null if none. */
        BigInteger dyadic(int bits) {
            BigInteger scaledLow = low.shiftLeft(bits);
            BigInteger k = scaledLow.add(BigInteger.ONE.shiftLeft(scale)).subtract(BigInteger.ONE).shiftRight(scale);
            boolean inside = k.add(BigInteger.ONE).shiftLeft(scale).compareTo(low.add(width).shiftLeft(bits)) <= 0;
            return inside ? k : null;
        }

        /** The symbol whose sub-interval holds the point {@code k 2^-b}. */
        int symbolAt(BigInteger code, int bits, int[] cum, int precision) {
            // position of the point inside this interval, in steps of width / 2^precision
            BigInteger offset = code.shiftLeft(scale).subtract(low.shiftLeft(bits)).shiftLeft(precision);
            BigInteger step = width.shiftLeft(bits);
            if (offset.signum() < 0) {
                throw new IllegalArgumentException("window code lies outside the coded interval");
            }
            long position = offset.divide(step).longValueExact();
            int lo = 0;
            int hi = cum.length - 2;
            while (lo < hi) { // last symbol whose cumulative start is <= position
                int mid = (lo + hi + 1) >>> 1;
                if (cum[mid] <= position) {
                    lo = mid;
                } else {
                    hi = mid - 1;
                }
            }
            return lo;
        }
    }
}
