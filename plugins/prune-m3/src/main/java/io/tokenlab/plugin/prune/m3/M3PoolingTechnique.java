package io.tokenlab.plugin.prune.m3;

import io.tokenlab.api.InvalidParameterException;
import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.plugin.prune.common.TokenChecks;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.osgi.service.metatype.annotations.Option;

/**
 * M3 (Cai, Yang, Li, Lee; "Matryoshka Multimodal Models", 2024): nested average pooling of the 24x24
 * visual grid to 1, 9, 36, 144, 576 tokens; and TokenFLEX (2025): adaptive average pooling to n x n
 * as PyTorch's {@code adaptive_avg_pool2d} computes it. Both produce pooled features; as a prune
 * stage this returns, for each bin of the smallest pooled grid with at least {@code keep} bins, the
 * token of the bin nearest to its pooled feature (thinned evenly when the grid has more bins than
 * {@code keep}). The pooled features themselves are {@link GridPooling}'s.
 */
@Component(property = {
        "tokenlab.technique=prune/m3",
        "tokenlab.description=M3 Matryoshka nested pooling (Cai et al. 2024; avg_pool2d, kernel = stride, scales "
                + "1/9/36/144/576 of 24x24) or TokenFLEX adaptive pooling (adaptive_avg_pool2d bins); keeps the token "
                + "nearest each pooled bin's mean. Needs: features N x D on a grid (grid shape given, or N a square "
                + "number read as n x n); pooled features via io.tokenlab.plugin.prune.m3.GridPooling."})
@Designate(ocd = M3PoolingTechnique.Config.class)
public final class M3PoolingTechnique implements PruneTechnique {
    public static final String NESTED = "nested";
    public static final String ADAPTIVE = "adaptive";

    @ObjectClassDefinition(name = "prune/m3", description = "Pool the token grid (M3 nested or TokenFLEX adaptive) "
            + "and keep one token per bin.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of the tokens to keep, in (0, 1]; 0.0625 is "
                + "M3's 36 of 576.", min = "0.0001", max = "1")
        double keep_ratio() default 0.0625;

        @AttributeDefinition(description = "nested: M3's avg_pool2d with a kernel dividing the grid (scales nest "
                + "exactly); adaptive: TokenFLEX's adaptive_avg_pool2d to any n x n.",
                options = {@Option(label = "nested (M3)", value = NESTED), @Option(label = "adaptive (TokenFLEX)", value = ADAPTIVE)})
        String pooling() default NESTED;
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        if (keep == 0) {
            return new int[0];
        }
        int[] grid = grid(tokens);
        int rows = grid[0];
        int cols = grid[1];
        GridPooling.Bin[] bins;
        switch (config.pooling()) {
            case NESTED:
                bins = GridPooling.nestedBins(rows, cols, nestedKernel(rows, cols, keep));
                break;
            case ADAPTIVE:
                bins = adaptiveBins(rows, cols, keep);
                break;
            default:
                throw new InvalidParameterException("pooling", "'" + config.pooling() + "' is not one of nested, adaptive");
        }
        int[] representatives = PoolingSelection.representatives(tokens.features(), rows, cols, bins, context.compute());
        context.note("pooled " + rows + "x" + cols + " to " + bins.length + " bins, kept " + keep);
        return PoolingSelection.sortedSubset(representatives, PoolingSelection.evenlySpaced(bins.length, keep));
    }

    /** The largest kernel dividing both sides whose pooled grid still has at least {@code keep} bins. */
    static int nestedKernel(int rows, int cols, int keep) {
        for (int kernel = Math.min(rows, cols); kernel >= 1; kernel--) {
            if (rows % kernel == 0 && cols % kernel == 0 && (rows / kernel) * (cols / kernel) >= keep) {
                return kernel;
            }
        }
        return 1;
    }

    /** The smallest pooled grid, as square as the input allows, with at least {@code keep} bins. */
    static GridPooling.Bin[] adaptiveBins(int rows, int cols, int keep) {
        int outRows = Math.min(rows, Math.max(1, (int) Math.ceil(Math.sqrt((double) keep * rows / cols))));
        int outCols = Math.min(cols, (keep + outRows - 1) / outRows);
        while (outRows * outCols < keep) {
            outRows++;
        }
        return GridPooling.adaptiveBins(rows, cols, outRows, outCols);
    }

    static int[] grid(TokenSet tokens) {
        if (tokens.gridRows() > 0) {
            return new int[] {tokens.gridRows(), tokens.gridCols()};
        }
        int n = tokens.size();
        int side = (int) Math.round(Math.sqrt(n));
        if (side * side != n) {
            throw new TechniqueException(n + " tokens without a grid shape: pooling needs the grid (rows x cols), or a "
                    + "square number of tokens read as n x n");
        }
        return new int[] {side, side};
    }
}
