package io.tokenlab.plugin.transplant.omp;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.util.Arrays;
import java.util.stream.IntStream;

/**
 * Orthogonal Matching Pursuit (Pati, Rezaiifar and Krishnaprasad 1993) for many targets at once, as
 * tokensurgeon's {@code batch_omp} runs it: each step picks, for every target, the atom with the largest
 * |correlation| with its residual, extends that target's orthonormal basis by Gram-Schmidt and removes
 * the new direction from the residual.
 *
 * <p>The correlations of all atoms are never recomputed from the residual. They start as
 * {@code T D^T} and each step subtracts {@code <t, q_s> D q_s}, where {@code D q_s} for the whole batch
 * is one {@link Compute} product; that product is the only work that scales with atoms x dimension.
 * The basis, residuals and final coefficients are kept in double precision, and near-ties among the float
 * correlations are re-decided with exact double correlations, so the chosen support is the one a float64
 * implementation (scikit-learn's {@code orthogonal_mp}) chooses.
 */
public final class BatchedOmp {
    /** Targets per batched product: bounds the batch x atoms correlation block to a few hundred MB. */
    private static final int MAX_CHUNK = 512;
    /** Candidates within this relative distance of the float maximum are compared exactly. */
    private static final float TIE_WINDOW = 1e-3f;
    /** An atom this close to the span of the chosen ones adds nothing (scikit-learn stops there too). */
    private static final double DEPENDENT = 1e-12;

    private BatchedOmp() {
    }

    /**
     * k-sparse codes of each row of {@code targets} over the rows of {@code dictionary} (atoms are rows, so
     * this is scikit-learn's {@code orthogonal_mp(X=dictionary.T, y=targets.T, n_nonzero_coefs=k)}).
     */
    public static SparseCodes solve(FloatMatrix dictionary, FloatMatrix targets, int k, Compute compute) {
        if (dictionary.cols() != targets.cols()) {
            throw new IllegalArgumentException("dictionary " + dictionary.shape() + " and targets " + targets.shape()
                    + " differ in dimension");
        }
        int atoms = dictionary.rows();
        int steps = Math.min(k, Math.min(atoms, dictionary.cols()));
        int[] support = new int[targets.rows() * k];
        Arrays.fill(support, -1);
        double[] coefficients = new double[targets.rows() * k];
        int[] sizes = new int[targets.rows()];
        int chunk = Math.max(1, Math.min(MAX_CHUNK, (64 << 20) / Math.max(1, atoms)));
        for (int from = 0; from < targets.rows(); from += chunk) {
            int to = Math.min(targets.rows(), from + chunk);
            solveChunk(dictionary, targets, from, to, k, steps, compute, support, coefficients, sizes);
        }
        return new SparseCodes(targets.rows(), k, support, coefficients, sizes);
    }

    private static void solveChunk(FloatMatrix dictionary, FloatMatrix targets, int from, int to, int k, int steps,
                                   Compute compute, int[] support, double[] coefficients, int[] sizes) {
        int batch = to - from;
        int d = dictionary.cols();
        int atoms = dictionary.rows();
        float[] dict = dictionary.data();
        FloatMatrix chunkTargets = new FloatMatrix(batch, d, Arrays.copyOfRange(targets.data(), from * d, to * d));
        float[] correlations = compute.multiplyTransposed(chunkTargets, dictionary).data(); // batch x atoms
        Pursuit[] pursuits = new Pursuit[batch];
        for (int b = 0; b < batch; b++) {
            pursuits[b] = new Pursuit(chunkTargets.rowCopy(b), steps, d, atoms);
        }
        float[] directions = new float[batch * d];
        for (int s = 0; s < steps; s++) {
            final int step = s;
            IntStream.range(0, batch).parallel().forEach(b -> {
                Pursuit p = pursuits[b];
                Arrays.fill(directions, b * d, (b + 1) * d, 0f);
                if (p.stopped) {
                    return;
                }
                int atom = p.choose(correlations, b * atoms, dict);
                if (atom < 0 || !p.extend(atom, dict, step)) {
                    p.stopped = true;
                    return;
                }
                for (int j = 0; j < d; j++) {
                    directions[b * d + j] = (float) p.basis[step * d + j];
                }
            });
            if (s + 1 == steps) {
                break; // the last correlations would not be read
            }
            float[] update = compute.multiplyTransposed(new FloatMatrix(batch, d, directions), dictionary).data();
            IntStream.range(0, batch).parallel().forEach(b -> {
                Pursuit p = pursuits[b];
                if (p.stopped || p.size <= step) {
                    return;
                }
                float z = (float) p.projections[step];
                int base = b * atoms;
                for (int j = 0; j < atoms; j++) {
                    correlations[base + j] -= z * update[base + j];
                }
            });
        }
        for (int b = 0; b < batch; b++) {
            Pursuit p = pursuits[b];
            double[] gamma = p.coefficients();
            int t = from + b;
            sizes[t] = p.size;
            for (int s = 0; s < p.size; s++) {
                support[t * k + s] = p.chosen[s];
                coefficients[t * k + s] = gamma[s];
            }
        }
    }

    /** One target's pursuit: chosen atoms, orthonormal basis Q, upper-triangular R with D_I = Q R, residual. */
    private static final class Pursuit {
        final double[] residual;
        final double[] basis;
        final double[] r;
        final double[] projections;
        final int[] chosen;
        final boolean[] used;
        final int d;
        final int steps;
        final float scale;
        int size;
        boolean stopped;

        Pursuit(float[] target, int steps, int d, int atoms) {
            this.d = d;
            this.steps = steps;
            residual = new double[d];
            float norm = 0f;
            for (int j = 0; j < d; j++) {
                residual[j] = target[j];
                norm = Math.max(norm, Math.abs(target[j]));
            }
            scale = norm;
            basis = new double[steps * d];
            r = new double[steps * steps];
            projections = new double[steps];
            chosen = new int[steps];
            used = new boolean[atoms];
        }

        /** The unused atom of largest |correlation|; float near-ties decided by exact correlations. */
        int choose(float[] correlations, int offset, float[] dict) {
            int atoms = used.length;
            float best = -1f;
            for (int j = 0; j < atoms; j++) {
                float c = Math.abs(correlations[offset + j]);
                if (c > best && !used[j]) {
                    best = c;
                }
            }
            if (best <= 0f) {
                return -1;
            }
            float floor = best * (1 - TIE_WINDOW) - scale * 1e-6f;
            int winner = -1;
            double winnerValue = -1;
            for (int j = 0; j < atoms; j++) {
                if (used[j] || Math.abs(correlations[offset + j]) < floor) {
                    continue;
                }
                double exact = Math.abs(dot(residual, dict, j * d, d));
                if (exact > winnerValue) { // ascending j: the lowest index wins exact ties, as numpy's argmax
                    winnerValue = exact;
                    winner = j;
                }
            }
            return winner;
        }

        /**
         * Adds an atom by modified Gram-Schmidt; false if it lies in the current span. A second pass runs
         * when the first removed more than half of the atom's squared norm (the Daniel-Gragg-Kaufman-
         * Stewart criterion): only then can rounding have left a visible component along the basis.
         */
        boolean extend(int atom, float[] dict, int step) {
            double[] w = new double[d];
            for (int i = 0; i < d; i++) {
                w[i] = dict[atom * d + i];
            }
            double atomNorm = dot(w, 0, w, 0, d);
            double before = atomNorm;
            double norm2 = atomNorm;
            for (int pass = 0; pass < 2; pass++) {
                for (int q = 0; q < size; q++) {
                    double dot = dot(basis, q * d, w, 0, d);
                    r[q * steps + size] += dot;
                    for (int i = 0; i < d; i++) {
                        w[i] -= dot * basis[q * d + i];
                    }
                }
                norm2 = dot(w, 0, w, 0, d);
                if (size == 0 || norm2 > 0.5 * before) {
                    break;
                }
                before = norm2;
            }
            if (norm2 <= DEPENDENT * atomNorm || norm2 == 0) {
                for (int q = 0; q < size; q++) {
                    r[q * steps + size] = 0;
                }
                return false;
            }
            double norm = Math.sqrt(norm2);
            r[size * steps + size] = norm;
            double z = 0;
            for (int i = 0; i < d; i++) {
                double qi = w[i] / norm;
                basis[size * d + i] = qi;
                z += residual[i] * qi;
            }
            for (int i = 0; i < d; i++) {
                residual[i] -= z * basis[size * d + i];
            }
            projections[size] = z;
            chosen[size] = atom;
            used[atom] = true;
            size++;
            return true;
        }

        /** a[aOff, +n) . b[bOff, +n) with four running sums, so that the additions overlap. */
        private static double dot(double[] a, int aOff, double[] b, int bOff, int n) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[aOff + i] * b[bOff + i];
                s1 += a[aOff + i + 1] * b[bOff + i + 1];
                s2 += a[aOff + i + 2] * b[bOff + i + 2];
                s3 += a[aOff + i + 3] * b[bOff + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[aOff + i] * b[bOff + i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        /** The residual . a float row of the dictionary, as {@link #dot(double[], int, double[], int, int)}. */
        private static double dot(double[] a, float[] b, int bOff, int n) {
            double s0 = 0;
            double s1 = 0;
            double s2 = 0;
            double s3 = 0;
            int i = 0;
            for (; i + 3 < n; i += 4) {
                s0 += a[i] * b[bOff + i];
                s1 += a[i + 1] * b[bOff + i + 1];
                s2 += a[i + 2] * b[bOff + i + 2];
                s3 += a[i + 3] * b[bOff + i + 3];
            }
            for (; i < n; i++) {
                s0 += a[i] * b[bOff + i];
            }
            return (s0 + s1) + (s2 + s3);
        }

        /** Solves R gamma = Q^T t by back substitution: the least-squares coefficients on the chosen atoms. */
        double[] coefficients() {
            double[] gamma = new double[size];
            for (int i = size - 1; i >= 0; i--) {
                double v = projections[i];
                for (int j = i + 1; j < size; j++) {
                    v -= r[i * steps + j] * gamma[j];
                }
                gamma[i] = v / r[i * steps + i];
            }
            return gamma;
        }
    }
}
