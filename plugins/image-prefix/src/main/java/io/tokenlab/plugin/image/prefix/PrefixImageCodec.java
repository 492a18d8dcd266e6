package io.tokenlab.plugin.image.prefix;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.PrefixCodec;

import java.util.Arrays;
import java.util.Map;

/** A prefix codec with a token budget: encodes to the first {@code tokens} tokens, decodes any prefix. */
final class PrefixImageCodec implements ImageCodec {
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    /** Width and height, 16 bits each. */
    static final int SIDE_INFORMATION_BYTES = 4;
    private final PrefixCodec model;
    private final Compute compute;
    private final int tokens;

    PrefixImageCodec(PrefixCodec model, Compute compute, int tokens) {
        this.model = model;
        this.compute = compute;
        this.tokens = tokens;
    }

    PrefixCodec model() {
        return model;
    }

    @Override
    public ImageTokens encode(FloatImage image) {
        PrefixCodec.Encoded all = model.encode(compute, image);
        int kept = Math.min(tokens, all.tokens().length);
        return new ImageTokens(Arrays.copyOf(all.tokens(), kept), 0, 0, model.fsq().bitsPerToken(),
                Map.of(WIDTH, image.width(), HEIGHT, image.height()));
    }

    @Override
    public FloatImage decode(ImageTokens tokens) {
        return model.decode(compute, checked(tokens, model.fsq().bitsPerToken()), side(tokens, WIDTH), side(tokens, HEIGHT));
    }

    /** The ids of a 1-D sequence of the expected width, or a clear error. */
    static int[] checked(ImageTokens tokens, int bitsPerToken) {
        if (tokens.gridRows() != 0) {
            throw new IllegalArgumentException("expected a 1-D token sequence, got a " + tokens.gridRows() + "x"
                    + tokens.gridCols() + " grid");
        }
        if (tokens.bitsPerToken() != bitsPerToken) {
            throw new IllegalArgumentException("tokens of " + tokens.bitsPerToken() + " bits given to a codec of "
                    + bitsPerToken + "-bit tokens");
        }
        return tokens.tokens();
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
