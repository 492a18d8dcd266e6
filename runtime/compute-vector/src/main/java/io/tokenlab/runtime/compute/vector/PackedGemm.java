package io.tokenlab.runtime.compute.vector;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.runtime.compute.scalar.Shapes;
import io.tokenlab.runtime.compute.scalar.Symmetric;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ForkJoinPool;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code C = alpha op(A) op(B) + beta C} the way optimised BLAS does it: op(B) is packed in blocks of
 * KC x NC into panels NR columns wide, op(A) in blocks of MC x KC into panels MR rows tall, and a
 * register-blocked micro-kernel keeps an MR x NR tile of C in 12 vector registers while it streams both
 * panels. Packing also absorbs the transposes, so one kernel serves all four cases. The B panel being
 * read stays in L1, the A block in L2.
 *
 * <p>Row blocks of C run in parallel on the shared pool; when C has too few row blocks the column
 * panels are split instead, so a product with a handful of rows still uses every core.
 */
final class PackedGemm {
    private static final VectorSpecies<Float> S = Lanes.SPECIES;
    private static final int L = Lanes.WIDTH;
    static final int MR = 6;
    static final int NR = 2 * L;
    private static final int KC = 256;
    private static final int MC = 16 * MR;
    private static final int NC = 128 * NR;
    /** Below this many multiply-adds the fork/join costs more than it saves. */
    private static final long PARALLEL_WORK = 1L << 18;

    private static final ThreadLocal<float[]> A_PACK = ThreadLocal.withInitial(() -> new float[MC * KC]);

    private final ForkJoinPool pool;

    PackedGemm(ForkJoinPool pool) {
        this.pool = pool;
    }

    void gemm(boolean ta, boolean tb, float alpha, FloatMatrix a, FloatMatrix b, float beta, FloatMatrix c) {
        Shapes.checkGemm(ta, tb, a, b, c);
        int m = c.rows();
        int n = c.cols();
        int k = Shapes.opCols(a, ta);
        if (m == 0 || n == 0) {
            return;
        }
        if (k == 0) {
            scaleC(c, beta);
            return;
        }
        if (beta != 0f && beta != 1f) {
            // beta is applied once up front, so that every K block of the kernel only adds to C
            scaleC(c, beta);
        }
        blocked(new Operand(a.data(), a.cols(), ta), new Operand(b.data(), b.cols(), tb), m, n, k, alpha,
                beta == 0f, false, c);
    }

    /**
     * {@code C = A A^T} (C is rows x rows, overwritten). The product is symmetric, so only the tiles on
     * or above the diagonal are computed and the rest is mirrored from them: half the multiply-adds of
     * {@link #gemm}, as BLAS's syrk does. The result is exactly symmetric.
     */
    void gram(FloatMatrix a, FloatMatrix c) {
        int m = a.rows();
        int k = a.cols();
        if (c.rows() != m || c.cols() != m) {
            throw new IllegalArgumentException("gram: C must be " + m + " x " + m + ", got " + c.shape());
        }
        if (m == 0) {
            return;
        }
        if (k == 0) {
            scaleC(c, 0f);
            return;
        }
        blocked(new Operand(a.data(), k, false), new Operand(a.data(), k, true), m, m, k, 1f, true, true, c);
        Symmetric.mirrorUpperToLower(c.data(), m);
    }

    /**
     * The blocked loop both products share: K blocks of KC, column blocks of NC packed from op(B), rows
     * of C run by {@link Block}. {@code overwriteFirst}: the first K block writes C without reading it.
     * {@code upperOnly}: only tiles on or above the diagonal (for {@link #gram}).
     */
    private void blocked(Operand opA, Operand opB, int m, int n, int k, float alpha, boolean overwriteFirst,
                         boolean upperOnly, FloatMatrix c) {
        long work = (long) m * n * k / (upperOnly ? 2 : 1);
        boolean parallel = work >= PARALLEL_WORK && pool.getParallelism() > 1;
        float[] bPack = new float[KC * roundUp(Math.min(NC, n), NR)];
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            for (int jc = 0; jc < n; jc += NC) {
                int nc = Math.min(NC, n - jc);
                packB(opB, pc, kc, jc, nc, bPack);
                Block block = new Block(opA, bPack, c.data(), n, pc, kc, jc, nc, alpha, overwriteFirst && pc == 0,
                        upperOnly);
                // below this column block's last column a row has no tile on or above the diagonal in it
                int rowEnd = upperOnly ? Math.min(m, jc + nc) : m;
                if (!parallel) {
                    block.rows(0, rowEnd, 0, panels(nc));
                } else if (upperOnly) {
                    runUpperParallel(block, rowEnd);
                } else {
                    runParallel(block, m);
                }
            }
        }
    }

    /** One task per row block: their work shrinks down the triangle, so the pool balances them as they finish. */
    private void runUpperParallel(Block block, int rowEnd) {
        int colPanels = panels(block.nc);
        List<Callable<Void>> tasks = new ArrayList<>();
        for (int ic = 0; ic < rowEnd; ic += MC) {
            int from = ic;
            int to = Math.min(rowEnd, ic + MC);
            tasks.add(() -> {
                block.rows(from, to, 0, colPanels);
                return null;
            });
        }
        invokeAll(tasks);
    }

    private void runParallel(Block block, int m) {
        int threads = pool.getParallelism();
        int rowBlocks = (m + MC - 1) / MC;
        int colPanels = panels(block.nc);
        List<Callable<Void>> tasks = new ArrayList<>();
        if (rowBlocks >= 2 * threads || colPanels < threads) {
            int per = (rowBlocks + threads - 1) / threads;
            for (int t = 0; t < rowBlocks; t += per) {
                int from = t * MC;
                int to = Math.min(m, (t + per) * MC);
                tasks.add(() -> {
                    block.rows(from, to, 0, colPanels);
                    return null;
                });
            }
        } else {
            int per = (colPanels + threads - 1) / threads;
            for (int p = 0; p < colPanels; p += per) {
                int from = p;
                int to = Math.min(colPanels, p + per);
                tasks.add(() -> {
                    block.rows(0, m, from, to);
                    return null;
                });
            }
        }
        invokeAll(tasks);
    }

    private void invokeAll(List<Callable<Void>> tasks) {
        for (var f : pool.invokeAll(tasks)) {
            try {
                f.get();
            } catch (java.util.concurrent.ExecutionException e) {
                throw new IllegalStateException("gemm worker failed", e.getCause());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("gemm interrupted", e);
            }
        }
    }

    private static int panels(int cols) {
        return (cols + NR - 1) / NR;
    }

    private static int roundUp(int x, int multiple) {
        return (x + multiple - 1) / multiple * multiple;
    }

    private static void scaleC(FloatMatrix c, float beta) {
        float[] d = c.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = beta == 0f ? 0f : beta * d[i];
        }
    }

    /** A row-major matrix whose rows are {@code ld} long, used as itself or transposed. */
    private record Operand(float[] data, int ld, boolean transposed) {
    }

    /** op(B)[pc, pc+kc) x [jc, jc+nc) into panels of NR columns, k-major inside a panel, zero padded. */
    private static void packB(Operand b, int pc, int kc, int jc, int nc, float[] out) {
        for (int panel = 0; panel * NR < nc; panel++) {
            int base = panel * kc * NR;
            int j0 = jc + panel * NR;
            int width = Math.min(NR, nc - panel * NR);
            if (b.transposed) {
                // op(B) column j is row j of B: read it along its length. Walking p first would step by the
                // row length, and at a power of two (4096 features) every step hits the same cache set.
                for (int j = 0; j < NR; j++) {
                    if (j < width) {
                        int src = (j0 + j) * b.ld + pc;
                        for (int p = 0; p < kc; p++) {
                            out[base + p * NR + j] = b.data[src + p];
                        }
                    } else {
                        for (int p = 0; p < kc; p++) {
                            out[base + p * NR + j] = 0f;
                        }
                    }
                }
                continue;
            }
            for (int p = 0; p < kc; p++) {
                int o = base + p * NR;
                if (width == NR) {
                    System.arraycopy(b.data, (pc + p) * b.ld + j0, out, o, NR);
                } else {
                    for (int j = 0; j < width; j++) {
                        out[o + j] = b.data[(pc + p) * b.ld + j0 + j];
                    }
                    for (int j = width; j < NR; j++) {
                        out[o + j] = 0f;
                    }
                }
            }
        }
    }

    /** alpha op(A)[ic, ic+mc) x [pc, pc+kc) into panels of MR rows, k-major inside a panel, zero padded. */
    private static void packA(Operand a, int ic, int mc, int pc, int kc, float alpha, float[] out) {
        for (int panel = 0; panel * MR < mc; panel++) {
            int base = panel * kc * MR;
            int i0 = ic + panel * MR;
            int height = Math.min(MR, mc - panel * MR);
            if (a.transposed) {
                // op(A) row i is column i of A: read the stored rows p, which hold the panel's MR values side by side
                for (int p = 0; p < kc; p++) {
                    int src = (pc + p) * a.ld + i0;
                    for (int r = 0; r < height; r++) {
                        out[base + p * MR + r] = alpha * a.data[src + r];
                    }
                }
            }
            for (int r = 0; r < MR; r++) {
                if (r >= height) {
                    for (int p = 0; p < kc; p++) {
                        out[base + p * MR + r] = 0f;
                    }
                } else if (!a.transposed) {
                    int src = (i0 + r) * a.ld + pc;
                    for (int p = 0; p < kc; p++) {
                        out[base + p * MR + r] = alpha * a.data[src + p];
                    }
                }
            }
        }
    }

    /** One packed KC x NC block of op(B) against all rows of C that a worker is given. */
    private static final class Block {
        final Operand a;
        final float[] bPack;
        final float[] c;
        final int ldc;
        final int pc;
        final int kc;
        final int jc;
        final int nc;
        /** Folded into the packed A, so the kernel's result is already alpha times the product. */
        final float alpha;
        /** True for the first K block when beta is 0: C is written without being read. */
        final boolean overwrite;
        /** Only tiles with a cell on or above the diagonal (see {@link #gram}). */
        final boolean upperOnly;

        Block(Operand a, float[] bPack, float[] c, int ldc, int pc, int kc, int jc, int nc, float alpha,
              boolean overwrite, boolean upperOnly) {
            this.a = a;
            this.bPack = bPack;
            this.c = c;
            this.ldc = ldc;
            this.pc = pc;
            this.kc = kc;
            this.jc = jc;
            this.nc = nc;
            this.alpha = alpha;
            this.overwrite = overwrite;
            this.upperOnly = upperOnly;
        }

        void rows(int rowFrom, int rowTo, int panelFrom, int panelTo) {
            float[] aPack = A_PACK.get();
            float[] edge = new float[MR * NR];
            for (int ic = rowFrom; ic < rowTo; ic += MC) {
                int mc = Math.min(MC, rowTo - ic);
                // panels that end left of this row block's first row lie wholly below the diagonal
                int first = upperOnly && ic > jc ? Math.max(panelFrom, (ic - jc) / NR) : panelFrom;
                if (first >= panelTo) {
                    continue;
                }
                packA(a, ic, mc, pc, kc, alpha, aPack);
                for (int jr = first; jr < panelTo; jr++) {
                    int col = jc + jr * NR;
                    int width = Math.min(NR, nc - jr * NR);
                    for (int ir = 0; ir * MR < mc; ir++) {
                        int row = ic + ir * MR;
                        int height = Math.min(MR, mc - ir * MR);
                        if (upperOnly && col + width <= row) {
                            continue; // every cell of this tile is below the diagonal: mirrored later
                        }
                        microKernel(aPack, ir * kc * MR, jr * kc * NR, row, col, height, width, edge);
                    }
                }
            }
        }

        /** The 6 x 2L tile: 12 accumulators, two B vectors and one broadcast A value fill 15 of 16 AVX registers. */
        private void microKernel(float[] ap, int aOff, int bOff, int row, int col, int height, int width,
                                 float[] edge) {
            FloatVector c00 = FloatVector.zero(S), c01 = FloatVector.zero(S);
            FloatVector c10 = FloatVector.zero(S), c11 = FloatVector.zero(S);
            FloatVector c20 = FloatVector.zero(S), c21 = FloatVector.zero(S);
            FloatVector c30 = FloatVector.zero(S), c31 = FloatVector.zero(S);
            FloatVector c40 = FloatVector.zero(S), c41 = FloatVector.zero(S);
            FloatVector c50 = FloatVector.zero(S), c51 = FloatVector.zero(S);
            float[] bp = bPack;
            int ai = aOff;
            int bi = bOff;
            for (int p = 0; p < kc; p++, ai += MR, bi += NR) {
                FloatVector b0 = FloatVector.fromArray(S, bp, bi);
                FloatVector b1 = FloatVector.fromArray(S, bp, bi + L);
                FloatVector a0 = FloatVector.broadcast(S, ap[ai]);
                c00 = a0.fma(b0, c00);
                c01 = a0.fma(b1, c01);
                FloatVector a1 = FloatVector.broadcast(S, ap[ai + 1]);
                c10 = a1.fma(b0, c10);
                c11 = a1.fma(b1, c11);
                FloatVector a2 = FloatVector.broadcast(S, ap[ai + 2]);
                c20 = a2.fma(b0, c20);
                c21 = a2.fma(b1, c21);
                FloatVector a3 = FloatVector.broadcast(S, ap[ai + 3]);
                c30 = a3.fma(b0, c30);
                c31 = a3.fma(b1, c31);
                FloatVector a4 = FloatVector.broadcast(S, ap[ai + 4]);
                c40 = a4.fma(b0, c40);
                c41 = a4.fma(b1, c41);
                FloatVector a5 = FloatVector.broadcast(S, ap[ai + 5]);
                c50 = a5.fma(b0, c50);
                c51 = a5.fma(b1, c51);
            }
            // stores are written out rather than called: C2 stops inlining in a method this size, and a
            // vector passed to a call that is not inlined gets boxed
            if (height == MR && width == NR) {
                int o = row * ldc + col;
                if (overwrite) {
                    c00.intoArray(c, o);
                    c01.intoArray(c, o + L);
                    c10.intoArray(c, o + ldc);
                    c11.intoArray(c, o + ldc + L);
                    c20.intoArray(c, o + 2 * ldc);
                    c21.intoArray(c, o + 2 * ldc + L);
                    c30.intoArray(c, o + 3 * ldc);
                    c31.intoArray(c, o + 3 * ldc + L);
                    c40.intoArray(c, o + 4 * ldc);
                    c41.intoArray(c, o + 4 * ldc + L);
                    c50.intoArray(c, o + 5 * ldc);
                    c51.intoArray(c, o + 5 * ldc + L);
                } else {
                    c00.add(FloatVector.fromArray(S, c, o)).intoArray(c, o);
                    c01.add(FloatVector.fromArray(S, c, o + L)).intoArray(c, o + L);
                    c10.add(FloatVector.fromArray(S, c, o + ldc)).intoArray(c, o + ldc);
                    c11.add(FloatVector.fromArray(S, c, o + ldc + L)).intoArray(c, o + ldc + L);
                    c20.add(FloatVector.fromArray(S, c, o + 2 * ldc)).intoArray(c, o + 2 * ldc);
                    c21.add(FloatVector.fromArray(S, c, o + 2 * ldc + L)).intoArray(c, o + 2 * ldc + L);
                    c30.add(FloatVector.fromArray(S, c, o + 3 * ldc)).intoArray(c, o + 3 * ldc);
                    c31.add(FloatVector.fromArray(S, c, o + 3 * ldc + L)).intoArray(c, o + 3 * ldc + L);
                    c40.add(FloatVector.fromArray(S, c, o + 4 * ldc)).intoArray(c, o + 4 * ldc);
                    c41.add(FloatVector.fromArray(S, c, o + 4 * ldc + L)).intoArray(c, o + 4 * ldc + L);
                    c50.add(FloatVector.fromArray(S, c, o + 5 * ldc)).intoArray(c, o + 5 * ldc);
                    c51.add(FloatVector.fromArray(S, c, o + 5 * ldc + L)).intoArray(c, o + 5 * ldc + L);
                }
            } else {
                c00.intoArray(edge, 0);
                c01.intoArray(edge, L);
                c10.intoArray(edge, NR);
                c11.intoArray(edge, NR + L);
                c20.intoArray(edge, 2 * NR);
                c21.intoArray(edge, 2 * NR + L);
                c30.intoArray(edge, 3 * NR);
                c31.intoArray(edge, 3 * NR + L);
                c40.intoArray(edge, 4 * NR);
                c41.intoArray(edge, 4 * NR + L);
                c50.intoArray(edge, 5 * NR);
                c51.intoArray(edge, 5 * NR + L);
                for (int r = 0; r < height; r++) {
                    int o = (row + r) * ldc + col;
                    for (int j = 0; j < width; j++) {
                        c[o + j] = overwrite ? edge[r * NR + j] : c[o + j] + edge[r * NR + j];
                    }
                }
            }
        }
    }
}
