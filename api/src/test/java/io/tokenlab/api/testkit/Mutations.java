package io.tokenlab.api.testkit;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

/**
 * Damages a valid file the ways real files get damaged and the ways attackers damage them: flipped
 * bits, bytes set to the values parsers treat specially, truncation, deleted, repeated and moved
 * ranges, inserted junk, and numbers replaced by huge, negative or malformed ones. Each mutant
 * records what was done to it, so that a failure can be read (and replayed from its seed).
 */
public final class Mutations {
    private static final byte[] SPECIAL = " \n\r\t\"',:;{}[]()-+.0123456789eE\\#&*!|>%@`\u0000".getBytes(StandardCharsets.ISO_8859_1);
    private static final String[] NUMBERS = {"-1", "0", "-0", "2147483647", "2147483648", "-2147483649", "4294967296",
        "9223372036854775807", "9223372036854775808", "-9223372036854775809", "99999999999999999999999999999", "1e308",
        "1e-400", "NaN", "Infinity", "0x7fffffff", "1.5", "", "00", "2000000000"};

    private Mutations() {
    }

    /** One mutant of {@code valid} and the list of what was done, from 1 to 4 random damages. */
    public record Mutant(byte[] bytes, List<String> steps) {
    }

    public static Mutant mutate(byte[] valid, SplittableRandom rnd) {
        byte[] b = valid.clone();
        List<String> steps = new ArrayList<>();
        int damages = 1 + rnd.nextInt(4);
        for (int d = 0; d < damages; d++) {
            b = damage(b, rnd, steps);
        }
        return new Mutant(b, List.copyOf(steps));
    }

    private static byte[] damage(byte[] b, SplittableRandom rnd, List<String> steps) {
        if (b.length == 0) {
            steps.add("insert 'x' into the empty file");
            return new byte[] {'x'};
        }
        int at = rnd.nextInt(b.length);
        switch (rnd.nextInt(8)) {
            case 0: {
                int bit = rnd.nextInt(8);
                b[at] ^= (byte) (1 << bit);
                steps.add("flip bit " + bit + " of byte " + at);
                return b;
            }
            case 1: {
                byte v = SPECIAL[rnd.nextInt(SPECIAL.length)];
                b[at] = v;
                steps.add("set byte " + at + " to 0x" + Integer.toHexString(v & 0xff));
                return b;
            }
            case 2: {
                steps.add("truncate to " + at + " bytes");
                return java.util.Arrays.copyOf(b, at);
            }
            case 3: {
                int len = span(rnd, b.length - at);
                steps.add("delete " + len + " bytes at " + at);
                return splice(b, at, len, new byte[0]);
            }
            case 4: {
                int from = rnd.nextInt(b.length);
                int len = span(rnd, b.length - from);
                byte[] copy = java.util.Arrays.copyOfRange(b, from, from + len);
                steps.add("copy " + len + " bytes from " + from + " to " + at);
                return splice(b, at, 0, copy);
            }
            case 5: {
                byte[] junk = new byte[1 + rnd.nextInt(16)];
                for (int i = 0; i < junk.length; i++) {
                    junk[i] = (byte) rnd.nextInt(256);
                }
                steps.add("insert " + junk.length + " random bytes at " + at);
                return splice(b, at, 0, junk);
            }
            case 6: {
                // a 32- or 64-bit little-endian field set to an extreme, as in binary length prefixes
                long[] extremes = {-1L, 0L, Integer.MAX_VALUE, Integer.MIN_VALUE, Long.MAX_VALUE, 1L << 32, 1L << 40};
                long v = extremes[rnd.nextInt(extremes.length)];
                int width = rnd.nextBoolean() ? 4 : 8;
                for (int i = 0; i < width && at + i < b.length; i++) {
                    b[at + i] = (byte) (v >>> (8 * i));
                }
                steps.add("write " + v + " as " + width + " little-endian bytes at " + at);
                return b;
            }
            default:
                return replaceNumber(b, at, rnd, steps);
        }
    }

    /** Replaces the next run of ASCII digits at or after {@code at} (or, with none, inserts) a hostile number. */
    private static byte[] replaceNumber(byte[] b, int at, SplittableRandom rnd, List<String> steps) {
        String number = NUMBERS[rnd.nextInt(NUMBERS.length)];
        byte[] n = number.getBytes(StandardCharsets.US_ASCII);
        int start = at;
        while (start < b.length && !(b[start] >= '0' && b[start] <= '9')) {
            start++;
        }
        if (start == b.length) {
            steps.add("insert '" + number + "' at " + at);
            return splice(b, at, 0, n);
        }
        int end = start;
        while (end < b.length && b[end] >= '0' && b[end] <= '9') {
            end++;
        }
        steps.add("replace the number at " + start + " by '" + number + "'");
        return splice(b, start, end - start, n);
    }

    /** Mostly short ranges, sometimes long ones: short ones keep the file parseable for longer. */
    private static int span(SplittableRandom rnd, int max) {
        if (max <= 1) {
            return max;
        }
        return rnd.nextInt(4) == 0 ? 1 + rnd.nextInt(max) : 1 + rnd.nextInt(Math.min(max, 16));
    }

    private static byte[] splice(byte[] b, int at, int remove, byte[] insert) {
        ByteArrayOutputStream out = new ByteArrayOutputStream(b.length - remove + insert.length);
        out.write(b, 0, at);
        out.write(insert, 0, insert.length);
        out.write(b, at + remove, b.length - at - remove);
        return out.toByteArray();
    }
}
