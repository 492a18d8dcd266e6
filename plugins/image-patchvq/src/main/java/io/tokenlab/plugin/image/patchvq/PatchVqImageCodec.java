package io.tokenlab.plugin.image.patchvq;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.TrainingPhotos;

import java.util.Map;

/** Patch VQ tokens as a 2-D grid, one token per block, with the image size as side information. */
final class PatchVqImageCodec implements ImageCodec {
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    private final PatchCodebook codebook;
    private final Compute compute;

    PatchVqImageCodec(PatchCodebook codebook, Compute compute) {
        this.codebook = codebook;
        this.compute = compute;
    }

    PatchCodebook codebook() {
        return codebook;
    }

    private BlockGrid grid(int width, int height) {
        int r = codebook.resolution();
        return r > 0 ? new BlockGrid(codebook.blockSide(), r, r) : new BlockGrid(codebook.blockSide(), width, height);
    }

    @Override
    public ImageTokens encode(FloatImage image) {
        ImageOps.requireUsable(image);
        BlockGrid grid = grid(image.width(), image.height());
        int[] ids = codebook.encode(compute, grid.split(TrainingPhotos.workingView(image, codebook.resolution())));
        return new ImageTokens(ids, grid.rows(), grid.cols(), codebook.bitsPerToken(),
                Map.of(WIDTH, image.width(), HEIGHT, image.height()));
    }

    @Override
    public FloatImage decode(ImageTokens tokens) {
        int width = side(tokens, WIDTH);
        int height = side(tokens, HEIGHT);
        BlockGrid grid = grid(width, height);
        if (tokens.gridRows() != grid.rows() || tokens.gridCols() != grid.cols()) {
            throw new IllegalArgumentException("a " + width + "x" + height + " image has a " + grid.rows() + "x"
                    + grid.cols() + " token grid, given " + tokens.gridRows() + "x" + tokens.gridCols());
        }
        if (tokens.tokens().length != grid.blocks()) {
            throw new IllegalArgumentException(tokens.tokens().length + " tokens for a " + grid.rows() + "x"
                    + grid.cols() + " grid of " + grid.blocks());
        }
        if (tokens.bitsPerToken() != codebook.bitsPerToken()) {
            throw new IllegalArgumentException("tokens of " + tokens.bitsPerToken() + " bits given to a codebook of "
                    + codebook.bitsPerToken() + "-bit tokens");
        }
        FloatImage working = ImageOps.clamp(grid.assemble(codebook.decode(tokens.tokens())));
        return working.width() == width && working.height() == height ? working : ImageOps.resize(working, width, height);
    }

    static int side(ImageTokens tokens, String name) {
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
