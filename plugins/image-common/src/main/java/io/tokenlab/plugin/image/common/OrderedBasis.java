package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.Arrays;

/**
 * An ordered orthonormal basis with a mean: the PCA of training vectors, directions sorted by the
 * variance they explain. Truncating coefficients to any prefix gives the least-squares best
 * reconstruction of that length over the training data (Eckart-Young), which is what nested
 * dropout teaches an autoencoder (Rippel et al. 2014) and why a prefix of these tokens decodes.
 */
public final class OrderedBasis {
    private static final int MAGIC = 0x544c4f42; // "TLOB"
    private final float[] mean;
    private final FloatMatrix components;
    private final float[] variances;

    /**
     * @param mean       the training mean, length d
     * @param components k x d, orthonormal rows, most important first
     * @param variances  the training variance along each component, non-increasing
     */
    public OrderedBasis(float[] mean, FloatMatrix components, float[] variances) {
        if (components.cols() != mean.length || components.rows() != variances.length) {
            throw new IllegalArgumentException("basis of " + components.shape() + " with mean of " + mean.length
                    + " and " + variances.length + " variances");
        }
        this.mean = mean;
        this.components = components;
        this.variances = variances;
    }

    public int dimension() {
        return mean.length;
    }

    public int size() {
        return components.rows();
    }

    public float[] mean() {
        return mean.clone();
    }

    public FloatMatrix components() {
        return components;
    }

    public float variance(int i) {
        return variances[i];
    }

    public float[] variances() {
        return variances.clone();
    }

    /** The first {@code k} components as a k x d matrix. */
    public FloatMatrix prefix(int k) {
        if (k < 0 || k > size()) {
            throw new IllegalArgumentException("prefix " + k + " of a basis of " + size());
        }
        return new FloatMatrix(k, dimension(), Arrays.copyOf(components.data(), k * dimension()));
    }

    /** Rows minus the mean. */
    public FloatMatrix centre(FloatMatrix rows) {
        requireWidth(rows);
        float[] out = rows.data().clone();
        int d = dimension();
        for (int i = 0; i < out.length; i++) {
            out[i] -= mean[i % d];
        }
        return new FloatMatrix(rows.rows(), d, out);
    }

    /** Coefficients of each row on the first {@code k} components (n x k). */
    public FloatMatrix coefficients(Compute compute, FloatMatrix rows, int k) {
        return compute.multiplyTransposed(centre(rows), prefix(k));
    }

    /** Rows from coefficients on the first {@code coefficients.cols()} components, mean added back. */
    public FloatMatrix reconstruct(Compute compute, FloatMatrix coefficients) {
        FloatMatrix out = coefficients.cols() == 0 ? FloatMatrix.zeros(coefficients.rows(), dimension())
                : compute.multiply(coefficients, prefix(coefficients.cols()));
        float[] d = out.data();
        for (int i = 0; i < d.length; i++) {
            d[i] += mean[i % mean.length];
        }
        return out;
    }

    private void requireWidth(FloatMatrix rows) {
        if (rows.cols() != dimension()) {
            throw new IllegalArgumentException("basis of dimension " + dimension() + " given rows of " + rows.cols());
        }
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(dimension());
        out.writeInt(size());
        for (float m : mean) {
            out.writeFloat(m);
        }
        for (float v : variances) {
            out.writeFloat(v);
        }
        for (float c : components.data()) {
            out.writeFloat(c);
        }
    }

    public static OrderedBasis read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not an ordered-basis file");
        }
        int d = in.readInt();
        int k = in.readInt();
        if (d <= 0 || k < 0 || k > d) {
            throw new IOException("ordered basis of " + k + " x " + d + " is malformed");
        }
        float[] mean = new float[d];
        for (int i = 0; i < d; i++) {
            mean[i] = in.readFloat();
        }
        float[] variances = new float[k];
        for (int i = 0; i < k; i++) {
            variances[i] = in.readFloat();
        }
        float[] comps = new float[k * d];
        for (int i = 0; i < comps.length; i++) {
            comps[i] = in.readFloat();
        }
        return new OrderedBasis(mean, new FloatMatrix(k, d, comps), variances);
    }
}
