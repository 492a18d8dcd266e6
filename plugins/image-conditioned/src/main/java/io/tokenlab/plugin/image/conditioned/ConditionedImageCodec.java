package io.tokenlab.plugin.image.conditioned;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.TrainingPhotos;

import java.util.Map;

/**
 * A 2-D grid of block tokens from the codebook the image's cluster selects; the cluster id travels
 * in {@link ImageTokens#sideInformation()} under {@value #CLUSTER} and its bits are counted apart
 * from the tokens ({@link #sideBits()}), as TexTok's caption is.
 */
final class ConditionedImageCodec implements ImageCodec {
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    static final String CLUSTER = "cluster";
    private final ConditionedModel model;
    private final Compute compute;

    ConditionedImageCodec(ConditionedModel model, Compute compute) {
        this.model = model;
        this.compute = compute;
    }

    ConditionedModel model() {
        return model;
    }

    /** Bits of the condition (the cluster id), reported apart from the token bits. */
    int sideBits() {
        return model.sideBits();
    }

    private BlockGrid grid() {
        return new BlockGrid(model.blockSide(), model.resolution(), model.resolution());
    }

    @Override
    public ImageTokens encode(FloatImage image) {
        ImageOps.requireUsable(image);
        FloatImage view = TrainingPhotos.workingView(image, model.resolution());
        int cluster = model.cluster(compute, view);
        BlockGrid grid = grid();
        int[] ids = model.encode(compute, grid.split(view), cluster);
        return new ImageTokens(ids, grid.rows(), grid.cols(), model.bitsPerToken(),
                Map.of(WIDTH, image.width(), HEIGHT, image.height(), CLUSTER, cluster));
    }

    @Override
    public FloatImage decode(ImageTokens tokens) {
        int width = positive(tokens, WIDTH);
        int height = positive(tokens, HEIGHT);
        Integer cluster = tokens.sideInformation().get(CLUSTER);
        if (cluster == null) {
            throw new IllegalArgumentException("tokens lack the side information '" + CLUSTER + "' (the condition)");
        }
        BlockGrid grid = grid();
        if (tokens.gridRows() != grid.rows() || tokens.gridCols() != grid.cols() || tokens.tokens().length != grid.blocks()) {
            throw new IllegalArgumentException("expected a " + grid.rows() + "x" + grid.cols() + " token grid, given "
                    + tokens.gridRows() + "x" + tokens.gridCols() + " with " + tokens.tokens().length + " tokens");
        }
        if (tokens.bitsPerToken() != model.bitsPerToken()) {
            throw new IllegalArgumentException("tokens of " + tokens.bitsPerToken() + " bits given to a codebook of "
                    + model.bitsPerToken() + "-bit tokens");
        }
        FloatImage working = ImageOps.clamp(grid.assemble(model.decode(tokens.tokens(), cluster)));
        return working.width() == width && working.height() == height ? working : ImageOps.resize(working, width, height);
    }

    private static int positive(ImageTokens tokens, String name) {
        Integer v = tokens.sideInformation().get(name);
        if (v == null) {
            throw new IllegalArgumentException("tokens lack the side information '" + name + "' (the image size)");
        }
        if (v <= 0) {
            throw new IllegalArgumentException("side information " + name + " = " + v + ": a zero-size image");
        }
        return v;
    }
}
