package io.tokenlab.plugin.image.binary;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.plugin.image.common.BasisTrainer;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.OrderedBasis;
import io.tokenlab.plugin.math.common.SymmetricEigen;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Random;

/**
 * Binary codes of image blocks by iterative quantisation (Gong and Lazebnik 2011, "Iterative
 * quantization: a Procrustean approach to learning binary codes"): the block is projected on its
 * top {@code bits} principal directions (V), rotated by an orthogonal R, and each rotated value keeps
 * only its sign. ITQ picks R to minimise the quantisation loss {@code ||sign(VR) - VR||^2} by
 * alternating the optimal signs for a fixed R with the orthogonal Procrustes solution for fixed
 * signs; each half-step can only lower the loss. The decoder is linear in the bits, as in
 * Instella-T2I's binary autoencoder ({@code z = b E}): least squares from [bits, 1] to pixels.
 */
public final class ItqModel {
    private static final int MAGIC = 0x54424954; // "TBIT"
    private final OrderedBasis basis;
    private final int blockSide;
    private final int resolution;
    private final FloatMatrix rotation;
    private final FloatMatrix decoder;
    private final double[] lossPerIteration;
    private final double signPcaLoss;

    ItqModel(OrderedBasis basis, int blockSide, int resolution, FloatMatrix rotation, FloatMatrix decoder,
             double[] lossPerIteration, double signPcaLoss) {
        int bits = basis.size();
        if (rotation.rows() != bits || rotation.cols() != bits) {
            throw new IllegalArgumentException("rotation " + rotation.shape() + " for " + bits + " bits");
        }
        if (decoder.rows() != bits + 1 || decoder.cols() != basis.dimension()) {
            throw new IllegalArgumentException("decoder " + decoder.shape() + " for " + bits + " bits to "
                    + basis.dimension() + " values");
        }
        this.basis = basis;
        this.blockSide = blockSide;
        this.resolution = resolution;
        this.rotation = rotation;
        this.decoder = decoder;
        this.lossPerIteration = lossPerIteration;
        this.signPcaLoss = signPcaLoss;
    }

    /**
     * Trains on sampled blocks (n x 3 side^2).
     *
     * @param iterations ITQ iterations; 0 keeps the identity rotation (plain sign-of-PCA codes, the
     *                   baseline ITQ improves on)
     */
    public static ItqModel train(Compute compute, FloatMatrix blocks, int blockSide, int resolution, int bits,
                                 int iterations, long seed) {
        if (bits < 1 || bits > blocks.cols()) {
            throw new IllegalArgumentException(bits + " bits per block of dimension " + blocks.cols());
        }
        OrderedBasis basis = BasisTrainer.randomizedSvd(compute, blocks, bits, Math.max(16, bits / 2), 4, seed);
        FloatMatrix projected = basis.coefficients(compute, blocks, bits);
        int n = projected.rows();
        double signPcaLoss = quantisationLoss(projected) / n;
        FloatMatrix r;
        double[] history = new double[iterations];
        if (iterations == 0) {
            r = identity(bits);
        } else {
            // a random orthogonal start, as in Gong and Lazebnik; the polar factor of a Gaussian matrix is one
            Random random = new Random(seed + 7);
            float[] g = new float[bits * bits];
            for (int i = 0; i < g.length; i++) {
                g[i] = (float) random.nextGaussian();
            }
            r = orthogonalPolarFactor(new FloatMatrix(bits, bits, g));
            for (int it = 0; it < iterations; it++) {
                FloatMatrix rotated = compute.multiply(projected, r);
                FloatMatrix signs = signs(rotated);
                history[it] = quantisationLoss(rotated) / n;
                // orthogonal Procrustes: argmin over orthogonal R of ||B - V R|| is the polar factor of V^T B
                FloatMatrix vtb = FloatMatrix.zeros(bits, bits);
                compute.gemm(true, false, 1f, projected, signs, 0f, vtb);
                r = orthogonalPolarFactor(vtb);
            }
        }
        FloatMatrix codes = withBias(signs(compute.multiply(projected, r)));
        FloatMatrix decoder = compute.leastSquares(codes, blocks);
        return new ItqModel(basis, blockSide, resolution, r, decoder, history, signPcaLoss);
    }

    /** {@code ||sign(Z) - Z||^2}: what keeping only the signs of Z loses. */
    static double quantisationLoss(FloatMatrix z) {
        double s = 0;
        for (float v : z.data()) {
            double d = (v > 0 ? 1 : -1) - v;
            s += d * d;
        }
        return s;
    }

    static FloatMatrix signs(FloatMatrix z) {
        float[] out = new float[z.data().length];
        for (int i = 0; i < out.length; i++) {
            out[i] = z.data()[i] > 0 ? 1f : -1f;
        }
        return new FloatMatrix(z.rows(), z.cols(), out);
    }

    /** The codes with a trailing column of ones, so the least-squares decoder learns the offset too. */
    static FloatMatrix withBias(FloatMatrix codes) {
        int n = codes.rows();
        int c = codes.cols();
        float[] out = new float[n * (c + 1)];
        for (int i = 0; i < n; i++) {
            System.arraycopy(codes.data(), i * c, out, i * (c + 1), c);
            out[i * (c + 1) + c] = 1f;
        }
        return new FloatMatrix(n, c + 1, out);
    }

    private static FloatMatrix identity(int k) {
        FloatMatrix m = FloatMatrix.zeros(k, k);
        for (int i = 0; i < k; i++) {
            m.set(i, i, 1f);
        }
        return m;
    }

    /**
     * The orthogonal factor U W^T of M = U S W^T, computed as M (M^T M)^{-1/2} in double from the
     * eigendecomposition of the small k x k matrix M^T M; directions M does not span (zero singular
     * values, possible when a bit never varies) are left out rather than divided by zero.
     */
    static FloatMatrix orthogonalPolarFactor(FloatMatrix m) {
        int k = m.rows();
        double[][] mtm = new double[k][k];
        for (int i = 0; i < k; i++) {
            for (int j = i; j < k; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += (double) m.get(t, i) * m.get(t, j);
                }
                mtm[i][j] = s;
                mtm[j][i] = s;
            }
        }
        SymmetricEigen eigen = SymmetricEigen.of(mtm);
        double[] values = eigen.values();
        double largest = Math.max(values[0], 1e-300);
        double[][] inverseRoot = new double[k][k];
        for (int e = 0; e < k; e++) {
            if (values[e] <= largest * 1e-12) {
                continue;
            }
            double[] w = eigen.vector(e);
            double scale = 1 / Math.sqrt(values[e]);
            for (int i = 0; i < k; i++) {
                for (int j = 0; j < k; j++) {
                    inverseRoot[i][j] += scale * w[i] * w[j];
                }
            }
        }
        float[] out = new float[k * k];
        for (int i = 0; i < k; i++) {
            for (int j = 0; j < k; j++) {
                double s = 0;
                for (int t = 0; t < k; t++) {
                    s += m.get(i, t) * inverseRoot[t][j];
                }
                out[i * k + j] = (float) s;
            }
        }
        return new FloatMatrix(k, k, out);
    }

    public int bits() {
        return basis.size();
    }

    public int blockSide() {
        return blockSide;
    }

    public int resolution() {
        return resolution;
    }

    public FloatMatrix rotation() {
        return rotation;
    }

    /** Mean quantisation loss per block at the start of each ITQ iteration (empty for sign-PCA). */
    public double[] lossPerIteration() {
        return lossPerIteration.clone();
    }

    /** Mean quantisation loss per block of the unrotated PCA signs on the training blocks. */
    public double signPcaLoss() {
        return signPcaLoss;
    }

    /** ±1 codes of the blocks (n x bits). */
    public FloatMatrix encode(Compute compute, FloatMatrix blocks) {
        if (blocks.cols() != BlockGrid.dimension(blockSide)) {
            throw new IllegalArgumentException("blocks of " + blocks.cols() + " values for a model of side " + blockSide);
        }
        return signs(compute.multiply(basis.coefficients(compute, blocks, bits()), rotation));
    }

    /** Blocks from ±1 codes through the linear decoder. */
    public FloatMatrix decode(Compute compute, FloatMatrix codes) {
        return compute.multiply(withBias(codes), decoder);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(blockSide);
        out.writeInt(resolution);
        out.writeDouble(signPcaLoss);
        out.writeInt(lossPerIteration.length);
        for (double l : lossPerIteration) {
            out.writeDouble(l);
        }
        basis.write(out);
        for (float v : rotation.data()) {
            out.writeFloat(v);
        }
        for (float v : decoder.data()) {
            out.writeFloat(v);
        }
    }

    public static ItqModel read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a binary-latent model");
        }
        int side = in.readInt();
        int resolution = in.readInt();
        double signPcaLoss = in.readDouble();
        int iterations = in.readInt();
        if (iterations < 0 || iterations > 1_000_000) {
            throw new IOException("binary-latent model with " + iterations + " iterations is malformed");
        }
        double[] history = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            history[i] = in.readDouble();
        }
        OrderedBasis basis = OrderedBasis.read(in);
        int k = basis.size();
        float[] r = new float[k * k];
        for (int i = 0; i < r.length; i++) {
            r[i] = in.readFloat();
        }
        float[] w = new float[(k + 1) * basis.dimension()];
        for (int i = 0; i < w.length; i++) {
            w[i] = in.readFloat();
        }
        return new ItqModel(basis, side, resolution, new FloatMatrix(k, k, r),
                new FloatMatrix(k + 1, basis.dimension(), w), history, signPcaLoss);
    }
}
