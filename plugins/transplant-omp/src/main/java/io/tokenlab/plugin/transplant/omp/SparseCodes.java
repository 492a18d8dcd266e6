package io.tokenlab.plugin.transplant.omp;

/**
 * OMP's answer for a batch of targets: for target b, atoms {@code support[b*k .. b*k+sizes[b]-1]} in the
 * order they were chosen and their least-squares coefficients. Unused slots hold -1 and 0.
 */
public record SparseCodes(int targets, int k, int[] support, double[] coefficients, int[] sizes) {
    public int atom(int target, int slot) {
        return support[target * k + slot];
    }

    public double coefficient(int target, int slot) {
        return coefficients[target * k + slot];
    }
}
