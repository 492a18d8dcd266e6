package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;

import java.util.Arrays;
import java.util.Comparator;
import java.util.stream.IntStream;

/**
 * An image cut into square blocks of {@code side x side} pixels, each flattened to a vector of
 * {@code 3 * side * side} values (channel-major, then rows). Images whose size is not a multiple of
 * the side are padded by repeating their last row and column, and cropped again on assembly.
 */
public final class BlockGrid {
    private final int side;
    private final int width;
    private final int height;
    private final int rows;
    private final int cols;

    public BlockGrid(int side, int width, int height) {
        if (side <= 0 || width <= 0 || height <= 0) {
            throw new IllegalArgumentException("block grid of side " + side + " over " + width + "x" + height);
        }
        this.side = side;
        this.width = width;
        this.height = height;
        this.rows = (height + side - 1) / side;
        this.cols = (width + side - 1) / side;
    }

    public static int dimension(int side) {
        return 3 * side * side;
    }

    public int rows() {
        return rows;
    }

    public int cols() {
        return cols;
    }

    public int blocks() {
        return rows * cols;
    }

    public int dimension() {
        return dimension(side);
    }

    /** One row per block, in raster order. */
    public FloatMatrix split(FloatImage image) {
        if (image.width() != width || image.height() != height || image.channels() != 3) {
            throw new IllegalArgumentException("grid for " + width + "x" + height + "x3 given " + image.width() + "x"
                    + image.height() + "x" + image.channels());
        }
        int d = dimension();
        float[] out = new float[blocks() * d];
        for (int br = 0; br < rows; br++) {
            for (int bc = 0; bc < cols; bc++) {
                int base = (br * cols + bc) * d;
                copyBlock(image, bc * side, br * side, out, base, side);
            }
        }
        return new FloatMatrix(blocks(), d, out);
    }

    /** The block of {@code side} at (x0, y0), edge-replicated past the border, into {@code out[base..]}. */
    public static void copyBlock(FloatImage image, int x0, int y0, float[] out, int base, int side) {
        int i = base;
        for (int c = 0; c < 3; c++) {
            for (int y = 0; y < side; y++) {
                int sy = Math.min(image.height() - 1, y0 + y);
                int row = (c * image.height() + sy) * image.width();
                for (int x = 0; x < side; x++) {
                    out[i++] = image.data()[row + Math.min(image.width() - 1, x0 + x)];
                }
            }
        }
    }

    /** The image from one row per block in raster order, padding cropped away. */
    public FloatImage assemble(FloatMatrix blockRows) {
        if (blockRows.rows() != blocks() || blockRows.cols() != dimension()) {
            throw new IllegalArgumentException("grid of " + blocks() + " blocks x " + dimension() + " given "
                    + blockRows.shape());
        }
        float[] out = new float[3 * width * height];
        int d = dimension();
        for (int br = 0; br < rows; br++) {
            for (int bc = 0; bc < cols; bc++) {
                int i = (br * cols + bc) * d;
                for (int c = 0; c < 3; c++) {
                    for (int y = 0; y < side; y++) {
                        int py = br * side + y;
                        for (int x = 0; x < side; x++, i++) {
                            int px = bc * side + x;
                            if (py < height && px < width) {
                                out[(c * height + py) * width + px] = blockRows.data()[i];
                            }
                        }
                    }
                }
            }
        }
        return new FloatImage(width, height, 3, out);
    }

    /**
     * Block indices from coarse to fine: first the blocks on the coarsest power-of-two lattice, then
     * those added by each finer lattice, so that any prefix of this order is spread evenly over the
     * image instead of filling it from the top.
     */
    public int[] spreadOrder() {
        Integer[] order = IntStream.range(0, blocks()).boxed().toArray(Integer[]::new);
        Arrays.sort(order, Comparator.comparingInt((Integer b) -> -lattice(b / cols, b % cols)).thenComparingInt(b -> b));
        return Arrays.stream(order).mapToInt(Integer::intValue).toArray();
    }

    private int lattice(int r, int c) {
        int step = Integer.highestOneBit(Math.max(rows, cols));
        while (step > 1 && (r % step != 0 || c % step != 0)) {
            step >>= 1;
        }
        return step;
    }
}
