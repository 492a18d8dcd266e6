package io.tokenlab.plugin.prune.m3;

import io.tokenlab.api.compute.FloatMatrix;

/**
 * Average pooling of a token grid (rows x cols tokens, row-major, each a D-vector): the pooled
 * features M3 and TokenFLEX feed to the language model in place of the full grid. Public so that
 * other code can use the pooled features themselves, not only the indices a prune stage returns.
 *
 * <p>Sums run in double so that pooling in stages (576 -> 144 -> 36) and pooling at once (576 -> 36)
 * agree to float rounding; on inputs whose sums are exact they agree bit for bit.
 */
public final class GridPooling {
    private GridPooling() {
    }

    /** One bin of a pooled grid: the input rows [rowStart, rowEnd) x columns [colStart, colEnd). */
    public record Bin(int rowStart, int rowEnd, int colStart, int colEnd) {
        public int size() {
            return (rowEnd - rowStart) * (colEnd - colStart);
        }

        public boolean contains(int row, int col) {
            return row >= rowStart && row < rowEnd && col >= colStart && col < colEnd;
        }
    }

    /**
     * M3's pooling: {@code avg_pool2d} with kernel = stride = {@code kernel}; the kernel must divide both
     * grid sides, so that bins tile the grid and scales nest exactly.
     */
    public static Bin[] nestedBins(int rows, int cols, int kernel) {
        checkGrid(rows, cols);
        if (kernel < 1 || rows % kernel != 0 || cols % kernel != 0) {
            throw new IllegalArgumentException("kernel " + kernel + " does not divide the " + rows + "x" + cols
                    + " grid; M3's nested scales need kernel = stride dividing both sides");
        }
        int outRows = rows / kernel;
        int outCols = cols / kernel;
        Bin[] bins = new Bin[outRows * outCols];
        for (int i = 0; i < outRows; i++) {
            for (int j = 0; j < outCols; j++) {
                bins[i * outCols + j] = new Bin(i * kernel, (i + 1) * kernel, j * kernel, (j + 1) * kernel);
            }
        }
        return bins;
    }

    /**
     * TokenFLEX's pooling, PyTorch's {@code adaptive_avg_pool2d}: output cell (i, j) averages input rows
     * [floor(i * H / h), ceil((i + 1) * H / h)) and the same for columns. Bins overlap when the sides
     * do not divide.
     */
    public static Bin[] adaptiveBins(int rows, int cols, int outRows, int outCols) {
        checkGrid(rows, cols);
        if (outRows < 1 || outCols < 1 || outRows > rows || outCols > cols) {
            throw new IllegalArgumentException("pooled grid " + outRows + "x" + outCols + " must be between 1x1 and the "
                    + rows + "x" + cols + " input grid");
        }
        Bin[] bins = new Bin[outRows * outCols];
        for (int i = 0; i < outRows; i++) {
            for (int j = 0; j < outCols; j++) {
                bins[i * outCols + j] = new Bin(Math.floorDiv(i * rows, outRows), ceilDiv((i + 1) * rows, outRows),
                        Math.floorDiv(j * cols, outCols), ceilDiv((j + 1) * cols, outCols));
            }
        }
        return bins;
    }

    /** The mean feature of each bin: a (number of bins) x D matrix, in the bins' order. */
    public static FloatMatrix pool(FloatMatrix features, int rows, int cols, Bin[] bins) {
        checkGrid(rows, cols);
        if (features.rows() != rows * cols) {
            throw new IllegalArgumentException("features " + features.shape() + " do not fill a " + rows + "x" + cols
                    + " grid");
        }
        int d = features.cols();
        float[] in = features.data();
        float[] out = new float[bins.length * d];
        double[] sum = new double[d];
        for (int b = 0; b < bins.length; b++) {
            Bin bin = bins[b];
            java.util.Arrays.fill(sum, 0);
            for (int r = bin.rowStart(); r < bin.rowEnd(); r++) {
                for (int c = bin.colStart(); c < bin.colEnd(); c++) {
                    int offset = (r * cols + c) * d;
                    for (int k = 0; k < d; k++) {
                        sum[k] += in[offset + k];
                    }
                }
            }
            double size = bin.size();
            for (int k = 0; k < d; k++) {
                out[b * d + k] = (float) (sum[k] / size);
            }
        }
        return new FloatMatrix(bins.length, d, out);
    }

    /** M3's features at {@code scale} tokens (a square number whose side divides the grid's). */
    public static FloatMatrix m3(FloatMatrix features, int rows, int cols, int scale) {
        int side = (int) Math.round(Math.sqrt(scale));
        if (side * side != scale || side < 1 || rows % side != 0 || cols % side != 0 || rows / side != cols / side) {
            throw new IllegalArgumentException("scale " + scale + " is not an M3 scale of the " + rows + "x" + cols
                    + " grid: it must be n*n with n dividing both sides by the same kernel (on 24x24: 1, 4, 9, 16, 36, "
                    + "64, 144, 576)");
        }
        return pool(features, rows, cols, nestedBins(rows, cols, rows / side));
    }

    /** TokenFLEX's features at n x n tokens. */
    public static FloatMatrix tokenFlex(FloatMatrix features, int rows, int cols, int n) {
        return pool(features, rows, cols, adaptiveBins(rows, cols, n, n));
    }

    private static void checkGrid(int rows, int cols) {
        if (rows < 1 || cols < 1) {
            throw new IllegalArgumentException("grid " + rows + "x" + cols + " has no cells");
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
