package io.tokenlab.plugin.image.titok;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.ImageOps;

import java.util.Map;

/** L grouped tokens of a whole image as a 1-D sequence; the image size is side information. */
final class TitokImageCodec implements ImageCodec {
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    private final GroupedTokenModel model;
    private final Compute compute;
    private final int length;

    TitokImageCodec(GroupedTokenModel model, Compute compute, int length) {
        if (length < 1 || length > model.groups()) {
            throw new IllegalArgumentException(length + " tokens asked of a model of " + model.groups() + " groups");
        }
        this.model = model;
        this.compute = compute;
        this.length = length;
    }

    GroupedTokenModel model() {
        return model;
    }

    @Override
    public ImageTokens encode(FloatImage image) {
        ImageOps.requireUsable(image);
        return new ImageTokens(model.encode(compute, image, length), 0, 0, model.bitsPerToken(),
                Map.of(WIDTH, image.width(), HEIGHT, image.height()));
    }

    @Override
    public FloatImage decode(ImageTokens tokens) {
        int width = side(tokens, WIDTH);
        int height = side(tokens, HEIGHT);
        if (tokens.gridRows() != 0) {
            throw new IllegalArgumentException("expected a 1-D token sequence, got a " + tokens.gridRows() + "x"
                    + tokens.gridCols() + " grid");
        }
        if (tokens.bitsPerToken() != model.bitsPerToken()) {
            throw new IllegalArgumentException("tokens of " + tokens.bitsPerToken() + " bits given to a codec of "
                    + model.bitsPerToken() + "-bit tokens");
        }
        if (tokens.tokens().length != length) {
            throw new IllegalArgumentException(tokens.tokens().length + " tokens given to a codec of L = " + length);
        }
        FloatImage working = model.decodeWorking(compute, tokens.tokens());
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
