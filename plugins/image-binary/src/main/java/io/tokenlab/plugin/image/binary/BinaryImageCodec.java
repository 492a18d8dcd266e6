package io.tokenlab.plugin.image.binary;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.TrainingPhotos;

import java.util.Map;

/**
 * Binary latents as tokens: the bits of each block are cut into sub-tokens of {@code tokenBits}
 * bits (ELM's vocabulary split of a C-bit code), blocks in raster order; bit j of a token is the
 * sign of rotated coefficient j of its slice. The image size is side information.
 */
final class BinaryImageCodec implements ImageCodec {
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    private final ItqModel model;
    private final Compute compute;
    private final int tokenBits;

    BinaryImageCodec(ItqModel model, Compute compute, int tokenBits) {
        requireSplit(model.bits(), tokenBits);
        this.model = model;
        this.compute = compute;
        this.tokenBits = tokenBits;
    }

    static void requireSplit(int bits, int tokenBits) {
        if (tokenBits < 1 || tokenBits > 30 || bits % tokenBits != 0) {
            throw new IllegalArgumentException(bits + " bits per block do not split into tokens of " + tokenBits
                    + " bits (1..30, a divisor)");
        }
    }

    ItqModel model() {
        return model;
    }

    private BlockGrid grid(int width, int height) {
        int r = model.resolution();
        return r > 0 ? new BlockGrid(model.blockSide(), r, r) : new BlockGrid(model.blockSide(), width, height);
    }

    @Override
    public ImageTokens encode(FloatImage image) {
        ImageOps.requireUsable(image);
        FloatImage view = TrainingPhotos.workingView(image, model.resolution());
        FloatMatrix codes = model.encode(compute, grid(image.width(), image.height()).split(view));
        int bits = model.bits();
        int perBlock = bits / tokenBits;
        int[] tokens = new int[codes.rows() * perBlock];
        for (int b = 0; b < codes.rows(); b++) {
            for (int t = 0; t < perBlock; t++) {
                int id = 0;
                for (int j = 0; j < tokenBits; j++) {
                    if (codes.get(b, t * tokenBits + j) > 0) {
                        id |= 1 << j;
                    }
                }
                tokens[b * perBlock + t] = id;
            }
        }
        return new ImageTokens(tokens, 0, 0, tokenBits, Map.of(WIDTH, image.width(), HEIGHT, image.height()));
    }

    @Override
    public FloatImage decode(ImageTokens tokens) {
        int width = side(tokens, WIDTH);
        int height = side(tokens, HEIGHT);
        if (tokens.gridRows() != 0) {
            throw new IllegalArgumentException("expected a 1-D token sequence, got a " + tokens.gridRows() + "x"
                    + tokens.gridCols() + " grid");
        }
        if (tokens.bitsPerToken() != tokenBits) {
            throw new IllegalArgumentException("tokens of " + tokens.bitsPerToken() + " bits given to a codec of "
                    + tokenBits + "-bit tokens");
        }
        BlockGrid grid = grid(width, height);
        int bits = model.bits();
        int perBlock = bits / tokenBits;
        int expected = grid.blocks() * perBlock;
        int[] ids = tokens.tokens();
        if (ids.length != expected) {
            throw new IllegalArgumentException(ids.length + " tokens, but a " + width + "x" + height + " image has "
                    + expected + " (" + grid.blocks() + " blocks x " + perBlock + " tokens of " + tokenBits + " bits)");
        }
        float[] codes = new float[grid.blocks() * bits];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= (1 << tokenBits)) {
                throw new IllegalArgumentException("token " + ids[i] + " at " + i + " outside the alphabet 0.."
                        + ((1 << tokenBits) - 1) + " of " + tokenBits + "-bit tokens");
            }
            for (int j = 0; j < tokenBits; j++) {
                codes[i * tokenBits + j] = (ids[i] >>> j & 1) == 1 ? 1f : -1f;
            }
        }
        FloatImage working = ImageOps.clamp(grid.assemble(model.decode(compute, new FloatMatrix(grid.blocks(), bits, codes))));
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
