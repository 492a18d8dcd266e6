package io.tokenlab.plugin.prune.m3;

import io.tokenlab.plugin.prune.testing.PythonReference;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.api.testkit.PruneConformance;
import io.tokenlab.runtime.compute.scalar.ScalarCompute;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

class M3PoolingTest extends PruneConformance {
    @TempDir
    Path temp;

    @Override
    protected PruneTechnique technique() {
        return new M3PoolingTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return Parameters.of(Map.of("keep.ratio", 0.0625, "pooling", "nested"));
    }

    @Override
    protected RunContext context() {
        return new KitContext(new ScalarCompute());
    }

    @Override
    protected TokenSet tokens(int n, int d, long seed) {
        TokenSet plain = super.tokens(n, d, seed);
        int side = (int) Math.round(Math.sqrt(n));
        return new TokenSet(plain.features(), null, side, side, null, null, null);
    }

    private static FloatMatrix gaussian(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (float) r.nextGaussian();
        }
        return new FloatMatrix(n, d, f);
    }

    /** Multiples of 1/16 below 8: every sum and every mean over 4 or 16 cells is exact in float and double. */
    private static FloatMatrix dyadic(int n, int d, long seed) {
        Random r = new Random(seed);
        float[] f = new float[n * d];
        for (int i = 0; i < f.length; i++) {
            f[i] = (r.nextInt(256) - 128) / 16f;
        }
        return new FloatMatrix(n, d, f);
    }

    @Test
    void nestedScalesAreExactlyNested() {
        FloatMatrix exact = dyadic(576, 8, 1);
        FloatMatrix at144 = GridPooling.m3(exact, 24, 24, 144);
        assertThat(GridPooling.m3(at144, 12, 12, 36).data()).containsExactly(GridPooling.m3(exact, 24, 24, 36).data());
        assertThat(GridPooling.m3(GridPooling.m3(exact, 24, 24, 36), 6, 6, 9).data())
                .containsExactly(GridPooling.m3(exact, 24, 24, 9).data());
        assertThat(GridPooling.m3(exact, 24, 24, 576).data()).containsExactly(exact.data());

        FloatMatrix real = gaussian(576, 16, 2);
        float[] staged = GridPooling.m3(GridPooling.m3(real, 24, 24, 144), 12, 12, 36).data();
        float[] direct = GridPooling.m3(real, 24, 24, 36).data();
        for (int i = 0; i < direct.length; i++) {
            assertThat(staged[i]).isCloseTo(direct[i], within(Math.ulp(Math.abs(direct[i])) + 1e-7f));
        }
        // the single token at scale 1 is the mean of the whole grid
        float[] mean = new ScalarCompute().columnMeans(real);
        float[] one = GridPooling.m3(real, 24, 24, 1).data();
        for (int k = 0; k < mean.length; k++) {
            assertThat(one[k]).isCloseTo(mean[k], within(1e-6f));
        }
    }

    /** A rows x cols grid with two channels: 5r + c and r * c, whose bin means can be worked by hand. */
    private static FloatMatrix separableGrid(int rows, int cols) {
        float[] f = new float[rows * cols * 2];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                f[(r * cols + c) * 2] = 5 * r + c;
                f[(r * cols + c) * 2 + 1] = r * c;
            }
        }
        return new FloatMatrix(rows * cols, 2, f);
    }

    /**
     * adaptive_avg_pool2d worked by hand, no PyTorch needed. On a 5 x 5 grid pooled to 3 x 3 the row
     * bins are [floor(5i/3), ceil(5(i+1)/3)) = [0,2), [1,4), [3,5): they overlap, with means 0.5, 2,
     * 3.5 (columns the same). A bin's mean of 5r + c is 5 mean(r) + mean(c) and, the bin being a
     * product of ranges, its mean of r * c is mean(r) * mean(c). Pooled to 2 x 2 the bins are
     * [0,3), [2,5) with means 1 and 3. On a 5 x 4 grid pooled to 3 x 2 the column bins are [0,2),
     * [2,4) (means 0.5, 2.5), so a rows/columns mix-up shows.
     */
    @Test
    void tokenFlexPoolingWorkedByHand() {
        assertThat(GridPooling.tokenFlex(separableGrid(5, 5), 5, 5, 3).data()).containsExactly(
                3.0f, 0.25f, 4.5f, 1f, 6.0f, 1.75f,
                10.5f, 1f, 12.0f, 4f, 13.5f, 7f,
                18.0f, 1.75f, 19.5f, 7f, 21.0f, 12.25f);
        assertThat(GridPooling.tokenFlex(separableGrid(5, 5), 5, 5, 2).data()).containsExactly(
                6f, 1f, 8f, 3f,
                16f, 3f, 18f, 9f);
        assertThat(GridPooling.pool(separableGrid(5, 4), 5, 4, GridPooling.adaptiveBins(5, 4, 3, 2)).data())
                .containsExactly(
                        3.0f, 0.25f, 5.0f, 1.25f,
                        10.5f, 1f, 12.5f, 5f,
                        18.0f, 1.75f, 20.0f, 8.75f);
        // M3 on the same kind of grid: kernel 2 on 4 x 4, bins [0,2) and [2,4), means 0.5 and 2.5
        assertThat(GridPooling.m3(separableGrid(4, 4), 4, 4, 4).data()).containsExactly(
                3f, 0.25f, 5f, 1.25f,
                13f, 1.25f, 15f, 6.25f);
    }

    @Test
    void tokenFlexBinsEqualPyTorchAdaptivePooling() throws Exception {
        PythonReference.assumeTorch();
        record Grid(int rows, int cols, List<int[]> outputs) { }
        List<Grid> grids = List.of(
                new Grid(24, 24, List.of(new int[] {8, 8}, new int[] {12, 12}, new int[] {16, 16}, new int[] {5, 5},
                        new int[] {7, 7}, new int[] {13, 13}, new int[] {24, 24}, new int[] {1, 1})),
                new Grid(17, 23, List.of(new int[] {5, 7}, new int[] {16, 3}, new int[] {9, 22})));
        Path out = temp.resolve("pooled");
        java.nio.file.Files.createDirectories(out);
        List<String> args = new ArrayList<>(List.of(out.toString()));
        List<FloatMatrix> inputs = new ArrayList<>();
        for (int g = 0; g < grids.size(); g++) {
            Grid grid = grids.get(g);
            FloatMatrix features = gaussian(grid.rows * grid.cols, 12, 10 + g);
            inputs.add(features);
            Path input = temp.resolve("grid" + g + ".npy");
            PythonReference.writeNpy(input, features);
            args.add(input + ":" + grid.rows + ":" + grid.cols + ":" + String.join(",",
                    grid.outputs.stream().map(o -> o[0] + "x" + o[1]).toList()));
        }
        PythonReference.script("adaptive_pool_reference.py", args, 300);
        for (int g = 0; g < grids.size(); g++) {
            Grid grid = grids.get(g);
            for (int[] o : grid.outputs) {
                float[] expected = PythonReference.readNpy(out.resolve("grid" + g + "-" + o[0] + "x" + o[1] + ".npy")).data();
                float[] mine = GridPooling.pool(inputs.get(g), grid.rows, grid.cols,
                        GridPooling.adaptiveBins(grid.rows, grid.cols, o[0], o[1])).data();
                assertThat(mine).as("%dx%d -> %dx%d", grid.rows, grid.cols, o[0], o[1]).hasSameSizeAs(expected);
                for (int i = 0; i < mine.length; i++) {
                    assertThat(mine[i]).as("%dx%d -> %dx%d, value %d", grid.rows, grid.cols, o[0], o[1], i)
                            .isCloseTo(expected[i], within(2e-6f));
                }
            }
        }
    }

    @Test
    void keepsTheTokenNearestEachBinMean() {
        FloatMatrix features = gaussian(576, 16, 3);
        TokenSet set = new TokenSet(features, null, 24, 24, null, null, null);
        int[] kept = technique().select(set, 36, validParameters(), context());
        assertThat(kept).hasSize(36);
        FloatMatrix pooled = GridPooling.m3(features, 24, 24, 36);
        for (int b = 0; b < 36; b++) {
            int blockRow = b / 6;
            int blockCol = b % 6;
            List<Integer> inBlock = new ArrayList<>();
            for (int k : kept) {
                if (k / 24 / 4 == blockRow && k % 24 / 4 == blockCol) {
                    inBlock.add(k);
                }
            }
            assertThat(inBlock).as("block %d", b).hasSize(1);
            int mine = inBlock.get(0);
            for (int r = blockRow * 4; r < blockRow * 4 + 4; r++) {
                for (int c = blockCol * 4; c < blockCol * 4 + 4; c++) {
                    assertThat(squaredDistance(features, mine, pooled, b))
                            .isLessThanOrEqualTo(squaredDistance(features, r * 24 + c, pooled, b));
                }
            }
        }
    }

    @Test
    void adaptivePoolingKeepsAnyCountWithDistinctTokens() {
        Parameters adaptive = Parameters.of(Map.of("keep.ratio", 0.1, "pooling", "adaptive"));
        TokenSet set = new TokenSet(gaussian(17 * 23, 8, 4), null, 17, 23, null, null, null);
        for (int keep : new int[] {1, 35, 64, 200, 390, 391}) {
            int[] kept = technique().select(set, keep, adaptive, context());
            assertThat(kept).as("keep %d", keep).hasSize(keep).doesNotHaveDuplicates().isSorted();
        }
    }

    @Test
    void readsASquareTokenCountAsAGrid() {
        FloatMatrix features = gaussian(576, 8, 5);
        assertThat(technique().select(TokenSet.of(features), 144, validParameters(), context()))
                .containsExactly(technique().select(new TokenSet(features, null, 24, 24, null, null, null), 144,
                        validParameters(), context()));
    }

    @Test
    void badInputIsAClearError() {
        assertThatThrownBy(() -> technique().select(TokenSet.of(gaussian(20, 4, 6)), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("20 tokens without a grid");
        TokenSet grid = tokens(144, 4, 7);
        assertThatThrownBy(() -> technique().select(grid, 4, Parameters.of(Map.of("pooling", "max")), context()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("nested, adaptive");
        assertThatThrownBy(() -> technique().select(grid, 4, Parameters.of(Map.of("keep.ratio", 1.01)), context()))
                .isInstanceOf(InvalidParameterException.class).hasMessageContaining("(0, 1]");
        assertThatThrownBy(() -> technique().select(TokenSet.of(FloatMatrix.zeros(0, 3)), 0, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("N = 0");
        FloatMatrix nan = gaussian(144, 4, 8);
        nan.set(3, 1, Float.NaN);
        assertThatThrownBy(() -> technique().select(tokens144(nan), 4, validParameters(), context()))
                .isInstanceOf(TechniqueException.class).hasMessageContaining("NaN");
        assertThatThrownBy(() -> GridPooling.m3(gaussian(576, 4, 9), 24, 24, 25))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("scale 25");
        assertThatThrownBy(() -> GridPooling.tokenFlex(gaussian(100, 4, 9), 24, 24, 4))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("100x4").hasMessageContaining("24x24");
    }

    private static TokenSet tokens144(FloatMatrix f) {
        return new TokenSet(f, null, 12, 12, null, null, null);
    }

    private static double squaredDistance(FloatMatrix a, int i, FloatMatrix b, int j) {
        double s = 0;
        for (int k = 0; k < a.cols(); k++) {
            double diff = a.get(i, k) - b.get(j, k);
            s += diff * diff;
        }
        return s;
    }
}
