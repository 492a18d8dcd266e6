package io.tokenlab.plugin.lm.transformer;

import java.util.Arrays;

/**
 * Sequences of mixed length padded to a common width: row b holds {@code lengths[b]} real tokens
 * followed by padding. Position i of row b is trained to predict {@code targets[b * width + i]};
 * -1 marks padding and positions without a target, which the loss ignores. Attention never looks
 * at padding (it lies after every real token, so the causal mask already hides it from them).
 */
public record Batch(int size, int width, int[] tokens, int[] targets, int[] lengths) {
    public Batch {
        if (tokens.length != size * width || targets.length != size * width || lengths.length != size) {
            throw new IllegalArgumentException("a batch of " + size + " x " + width + " needs " + size * width
                    + " tokens and targets and " + size + " lengths");
        }
        for (int b = 0; b < size; b++) {
            if (lengths[b] < 1 || lengths[b] > width) {
                throw new IllegalArgumentException("sequence " + b + " has length " + lengths[b] + "; accepted 1.." + width);
            }
        }
    }

    /**
     * Language-modelling batch from token windows: each window of n + 1 ids gives n inputs and the n
     * next ids as targets.
     */
    public static Batch ofWindows(int[][] windows, int width) {
        int size = windows.length;
        int[] tokens = new int[size * width];
        int[] targets = new int[size * width];
        int[] lengths = new int[size];
        Arrays.fill(targets, -1);
        for (int b = 0; b < size; b++) {
            int n = windows[b].length - 1;
            if (n < 1 || n > width) {
                throw new IllegalArgumentException("window " + b + " has " + windows[b].length + " ids; accepted 2.."
                        + (width + 1));
            }
            lengths[b] = n;
            System.arraycopy(windows[b], 0, tokens, b * width, n);
            System.arraycopy(windows[b], 1, targets, b * width, n);
        }
        return new Batch(size, width, tokens, targets, lengths);
    }

    int targetCount() {
        int c = 0;
        for (int t : targets) {
            c += t >= 0 ? 1 : 0;
        }
        return c;
    }
}
