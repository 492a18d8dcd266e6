package io.tokenlab.plugin.image.patchvq;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.KMeans;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;

/**
 * A codebook of image blocks trained by k-means: the VQGAN grid with its encoder and decoder
 * replaced by the identity on blocks, so that a token is the index of the nearest codeword and
 * decoding pastes the codeword back.
 */
public final class PatchCodebook {
    private static final int MAGIC = 0x54505651; // "TPVQ"
    private final FloatMatrix codewords;
    private final int blockSide;
    private final int resolution;
    private final double[] distortionPerIteration;

    PatchCodebook(FloatMatrix codewords, int blockSide, int resolution, double[] distortionPerIteration) {
        if (codewords.cols() != BlockGrid.dimension(blockSide)) {
            throw new IllegalArgumentException("codewords of " + codewords.cols() + " values for blocks of side " + blockSide);
        }
        this.codewords = codewords;
        this.blockSide = blockSide;
        this.resolution = resolution;
        this.distortionPerIteration = distortionPerIteration;
    }

    public static PatchCodebook train(Compute compute, FloatMatrix blocks, int blockSide, int resolution, int size,
                                      int iterations, long seed) {
        KMeans kMeans = KMeans.train(compute, blocks, size, iterations, seed);
        return new PatchCodebook(kMeans.centroids(), blockSide, resolution, kMeans.distortionPerIteration());
    }

    public int size() {
        return codewords.rows();
    }

    /** Bits of one raw token: ceil(log2(size)), at least 1. */
    public int bitsPerToken() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(size() - 1));
    }

    public int blockSide() {
        return blockSide;
    }

    public int resolution() {
        return resolution;
    }

    /** Mean squared distance of a training block to its codeword after each k-means assignment. */
    public double[] distortionPerIteration() {
        return distortionPerIteration.clone();
    }

    public int[] encode(Compute compute, FloatMatrix blocks) {
        return compute.nearestCentroid(blocks, codewords).centroid();
    }

    /** Blocks from token ids, or a clear error naming an id outside the codebook. */
    public FloatMatrix decode(int[] ids) {
        int d = codewords.cols();
        float[] out = new float[ids.length * d];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= size()) {
                throw new IllegalArgumentException("token " + ids[i] + " at " + i + " outside the codebook 0.." + (size() - 1));
            }
            System.arraycopy(codewords.data(), ids[i] * d, out, i * d, d);
        }
        return new FloatMatrix(ids.length, d, out);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(blockSide);
        out.writeInt(resolution);
        out.writeInt(size());
        out.writeInt(distortionPerIteration.length);
        for (double v : distortionPerIteration) {
            out.writeDouble(v);
        }
        for (float v : codewords.data()) {
            out.writeFloat(v);
        }
    }

    public static PatchCodebook read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a patch-codebook model");
        }
        int side = in.readInt();
        int resolution = in.readInt();
        int size = in.readInt();
        int iterations = in.readInt();
        if (side <= 0 || size <= 0 || size > (1 << 24) || iterations < 0 || iterations > 1_000_000) {
            throw new IOException("patch codebook of " + size + " entries, side " + side + " is malformed");
        }
        double[] history = new double[iterations];
        for (int i = 0; i < iterations; i++) {
            history[i] = in.readDouble();
        }
        int d = BlockGrid.dimension(side);
        float[] w = new float[size * d];
        for (int i = 0; i < w.length; i++) {
            w[i] = in.readFloat();
        }
        return new PatchCodebook(new FloatMatrix(size, d, w), side, resolution, history);
    }
}
