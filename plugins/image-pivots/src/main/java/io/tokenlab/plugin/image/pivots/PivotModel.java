package io.tokenlab.plugin.image.pivots;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.KMeans;
import io.tokenlab.plugin.image.common.TrainingPhotos;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * A two-level Laplacian pyramid with vector quantisation at each level, the classical form of
 * Hi-MAR's pivots: the working view shrunk by {@code factor} is block-quantised with one codebook
 * (the pivot tokens); the decoded pivots are enlarged again and what they miss, the residual, is
 * block-quantised with a second codebook trained on exactly such residuals.
 */
public final class PivotModel {
    private static final int MAGIC = 0x5450564f; // "TPVO"
    private final int resolution;
    private final int factor;
    private final int pivotBlock;
    private final int residualBlock;
    private final FloatMatrix pivotCodebook;
    private final FloatMatrix residualCodebook;

    PivotModel(int resolution, int factor, int pivotBlock, int residualBlock, FloatMatrix pivotCodebook,
               FloatMatrix residualCodebook) {
        if (resolution <= 0 || factor < 2 || resolution % factor != 0 || (resolution / factor) % pivotBlock != 0
                || resolution % residualBlock != 0) {
            throw new IllegalArgumentException("resolution " + resolution + " must split into pivots of 1/" + factor
                    + " in blocks of " + pivotBlock + " and residual blocks of " + residualBlock);
        }
        this.resolution = resolution;
        this.factor = factor;
        this.pivotBlock = pivotBlock;
        this.residualBlock = residualBlock;
        this.pivotCodebook = pivotCodebook;
        this.residualCodebook = residualCodebook;
    }

    public static PivotModel train(Compute compute, List<FloatImage> photos, int resolution, int factor, int pivotBlock,
                                   int residualBlock, int pivotCodebookSize, int residualCodebookSize, int iterations,
                                   long seed) {
        List<FloatImage> views = new ArrayList<>();
        for (FloatImage p : photos) {
            FloatImage v = TrainingPhotos.workingView(p, resolution);
            views.add(v);
            views.add(ImageOps.flipHorizontal(v));
        }
        int low = resolution / factor;
        BlockGrid pivotGrid = new BlockGrid(pivotBlock, low, low);
        FloatMatrix pivotBlocks = stack(views.stream().map(v -> pivotGrid.split(ImageOps.resize(v, low, low))).toList());
        FloatMatrix pivotBook = KMeans.train(compute, pivotBlocks, pivotCodebookSize, iterations, seed).centroids();
        PivotModel pivotsOnly = new PivotModel(resolution, factor, pivotBlock, residualBlock, pivotBook,
                FloatMatrix.zeros(1, BlockGrid.dimension(residualBlock)));
        BlockGrid residualGrid = new BlockGrid(residualBlock, resolution, resolution);
        List<FloatMatrix> residuals = new ArrayList<>();
        for (FloatImage v : views) {
            FloatImage up = pivotsOnly.decodePivots(pivotsOnly.encodePivots(compute, v));
            residuals.add(residualGrid.split(difference(v, up)));
        }
        FloatMatrix residualBook = KMeans.train(compute, stack(residuals), residualCodebookSize, iterations, seed + 1)
                .centroids();
        return new PivotModel(resolution, factor, pivotBlock, residualBlock, pivotBook, residualBook);
    }

    private static FloatMatrix stack(List<FloatMatrix> parts) {
        int d = parts.get(0).cols();
        int rows = parts.stream().mapToInt(FloatMatrix::rows).sum();
        float[] out = new float[rows * d];
        int at = 0;
        for (FloatMatrix m : parts) {
            System.arraycopy(m.data(), 0, out, at, m.data().length);
            at += m.data().length;
        }
        return new FloatMatrix(rows, d, out);
    }

    static FloatImage difference(FloatImage a, FloatImage b) {
        float[] out = a.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] -= b.data()[i];
        }
        return new FloatImage(a.width(), a.height(), a.channels(), out);
    }

    private BlockGrid pivotGrid() {
        int low = resolution / factor;
        return new BlockGrid(pivotBlock, low, low);
    }

    private BlockGrid residualGrid() {
        return new BlockGrid(residualBlock, resolution, resolution);
    }

    public int resolution() {
        return resolution;
    }

    public int pivotTokens() {
        return pivotGrid().blocks();
    }

    public int residualTokens() {
        return residualGrid().blocks();
    }

    public int pivotBits() {
        return bits(pivotCodebook.rows());
    }

    public int residualBits() {
        return bits(residualCodebook.rows());
    }

    /** One width for the whole sequence: the wider of the two alphabets. */
    public int bitsPerToken() {
        return Math.max(pivotBits(), residualBits());
    }

    private static int bits(int size) {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(size - 1));
    }

    /** Pivot tokens of a working view. */
    public int[] encodePivots(Compute compute, FloatImage view) {
        int low = resolution / factor;
        return compute.nearestCentroid(pivotGrid().split(ImageOps.resize(view, low, low)), pivotCodebook).centroid();
    }

    /** The decoded pivots enlarged to the working resolution. */
    public FloatImage decodePivots(int[] pivotTokens) {
        FloatImage low = pivotGrid().assemble(lookup(pivotCodebook, pivotTokens, "pivot"));
        return ImageOps.resize(low, resolution, resolution);
    }

    /** Residual tokens of a working view against the enlarged pivots. */
    public int[] encodeResidual(Compute compute, FloatImage view, FloatImage upsampledPivots) {
        return compute.nearestCentroid(residualGrid().split(difference(view, upsampledPivots)), residualCodebook).centroid();
    }

    /** The enlarged pivots plus the decoded residual. */
    public FloatImage addResidual(FloatImage upsampledPivots, int[] residualTokens) {
        FloatImage residual = residualGrid().assemble(lookup(residualCodebook, residualTokens, "residual"));
        float[] out = upsampledPivots.data().clone();
        for (int i = 0; i < out.length; i++) {
            out[i] += residual.data()[i];
        }
        return new FloatImage(resolution, resolution, 3, out);
    }

    private static FloatMatrix lookup(FloatMatrix codebook, int[] ids, String level) {
        int d = codebook.cols();
        float[] out = new float[ids.length * d];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= codebook.rows()) {
                throw new IllegalArgumentException(level + " token " + ids[i] + " at " + i + " outside the " + level
                        + " codebook 0.." + (codebook.rows() - 1));
            }
            System.arraycopy(codebook.data(), ids[i] * d, out, i * d, d);
        }
        return new FloatMatrix(ids.length, d, out);
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(resolution);
        out.writeInt(factor);
        out.writeInt(pivotBlock);
        out.writeInt(residualBlock);
        writeMatrix(out, pivotCodebook);
        writeMatrix(out, residualCodebook);
    }

    private static void writeMatrix(DataOutputStream out, FloatMatrix m) throws IOException {
        out.writeInt(m.rows());
        out.writeInt(m.cols());
        for (float v : m.data()) {
            out.writeFloat(v);
        }
    }

    private static FloatMatrix readMatrix(DataInputStream in) throws IOException {
        int rows = in.readInt();
        int cols = in.readInt();
        if (rows <= 0 || cols <= 0 || (long) rows * cols > (1 << 26)) {
            throw new IOException("codebook of " + rows + " x " + cols + " is malformed");
        }
        float[] w = new float[rows * cols];
        for (int i = 0; i < w.length; i++) {
            w[i] = in.readFloat();
        }
        return new FloatMatrix(rows, cols, w);
    }

    public static PivotModel read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a pivot model");
        }
        int resolution = in.readInt();
        int factor = in.readInt();
        int pivotBlock = in.readInt();
        int residualBlock = in.readInt();
        return new PivotModel(resolution, factor, pivotBlock, residualBlock, readMatrix(in), readMatrix(in));
    }
}
