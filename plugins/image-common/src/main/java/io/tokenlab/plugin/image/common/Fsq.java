package io.tokenlab.plugin.image.common;

import java.util.Arrays;

/**
 * Finite scalar quantisation (Mentzer et al. 2023, as FlexTok uses it): each value of a group is
 * rounded to one of a few levels and the digits form one token id in mixed radix. Here each value is
 * a coefficient divided by its training standard deviation, and the levels span
 * {@code [-range, +range]} standard deviations. Zero is always a level (even level counts are
 * shifted by half a step, as in FSQ), so quantising a coefficient never costs more than dropping it.
 */
public final class Fsq {
    private final int[] levels;
    private final double range;
    private final int alphabet;

    public Fsq(int[] levels, double range) {
        if (levels.length == 0) {
            throw new IllegalArgumentException("FSQ needs at least one level count");
        }
        long product = 1;
        for (int l : levels) {
            if (l < 2 || l > 256) {
                throw new IllegalArgumentException("FSQ level count " + l + " outside 2..256");
            }
            product *= l;
            if (product > (1L << 30)) {
                throw new IllegalArgumentException("FSQ levels " + Arrays.toString(levels) + " exceed 2^30 ids");
            }
        }
        if (!(range > 0) || Double.isInfinite(range)) {
            throw new IllegalArgumentException("FSQ range " + range + " must be a positive number of standard deviations");
        }
        this.levels = levels.clone();
        this.range = range;
        this.alphabet = (int) product;
    }

    /** Parses "8,8,8,5,5,5". */
    public static int[] parseLevels(String text) {
        try {
            return Arrays.stream(text.split("\\s*,\\s*")).map(String::trim).mapToInt(Integer::parseInt).toArray();
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("FSQ levels '" + text + "' are not comma-separated integers");
        }
    }

    public int groupSize() {
        return levels.length;
    }

    public int levels(int position) {
        return levels[position];
    }

    public int[] levels() {
        return levels.clone();
    }

    public double range() {
        return range;
    }

    /** Number of distinct token ids (64,000 for 8,8,8,5,5,5). */
    public int alphabet() {
        return alphabet;
    }

    /** Bits a raw token takes: ceil(log2(alphabet)). */
    public int bitsPerToken() {
        return 32 - Integer.numberOfLeadingZeros(alphabet - 1);
    }

    private double step(int position) {
        return 2 * range / (levels[position] - 1);
    }

    private int lowest(int position) {
        return -(levels[position] / 2);
    }

    /** The digit (0..levels-1) of a value measured in standard deviations. */
    public int digit(int position, double standardized) {
        int lo = lowest(position);
        int hi = lo + levels[position] - 1;
        long q = Math.round(standardized / step(position));
        return (int) (Math.max(lo, Math.min(hi, q)) - lo);
    }

    /** The value (in standard deviations) a digit stands for. */
    public double value(int position, int digit) {
        return (digit + lowest(position)) * step(position);
    }

    /** The digit that stands for zero: what an absent coefficient would be. */
    public int zeroDigit(int position) {
        return -lowest(position);
    }

    public int pack(int[] digits) {
        int id = 0;
        for (int i = levels.length - 1; i >= 0; i--) {
            id = id * levels[i] + digits[i];
        }
        return id;
    }

    public int[] unpack(int id) {
        if (id < 0 || id >= alphabet) {
            throw new IllegalArgumentException("token " + id + " outside the FSQ alphabet 0.." + (alphabet - 1)
                    + " of levels " + Arrays.toString(levels));
        }
        int[] digits = new int[levels.length];
        for (int i = 0; i < levels.length; i++) {
            digits[i] = id % levels[i];
            id /= levels[i];
        }
        return digits;
    }
}
