package io.tokenlab.plugin.image.pivots;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.TrainingPhotos;

import java.util.Arrays;
import java.util.Map;

/**
 * Pivot tokens first, then residual tokens, as one 1-D sequence. The pivots alone are a valid
 * prefix (Hi-MAR generates them first): a sequence of exactly the pivot count decodes to the
 * enlarged pivots. The image size is side information.
 */
final class PivotImageCodec implements ImageCodec {
    static final String WIDTH = "width";
    static final String HEIGHT = "height";
    private final PivotModel model;
    private final Compute compute;
    private final boolean withResidual;

    /** Bits of a token sequence by level, at each level's own alphabet (the rate a split coder would spend). */
    record RateSplit(long pivotBits, long residualBits) {
        long total() {
            return pivotBits + residualBits;
        }
    }

    PivotImageCodec(PivotModel model, Compute compute, boolean withResidual) {
        this.model = model;
        this.compute = compute;
        this.withResidual = withResidual;
    }

    PivotModel model() {
        return model;
    }

    @Override
    public ImageTokens encode(FloatImage image) {
        ImageOps.requireUsable(image);
        FloatImage view = TrainingPhotos.workingView(image, model.resolution());
        int[] pivots = model.encodePivots(compute, view);
        int[] tokens = pivots;
        if (withResidual) {
            int[] residual = model.encodeResidual(compute, view, model.decodePivots(pivots));
            tokens = Arrays.copyOf(pivots, pivots.length + residual.length);
            System.arraycopy(residual, 0, tokens, pivots.length, residual.length);
        }
        return new ImageTokens(tokens, 0, 0, model.bitsPerToken(), Map.of(WIDTH, image.width(), HEIGHT, image.height()));
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
        int[] ids = tokens.tokens();
        int p = model.pivotTokens();
        int all = p + model.residualTokens();
        if (ids.length != p && ids.length != all) {
            throw new IllegalArgumentException(ids.length + " tokens: expected " + p + " pivot tokens, or " + all
                    + " pivot and residual tokens");
        }
        FloatImage up = model.decodePivots(Arrays.copyOf(ids, p));
        FloatImage working = ImageOps.clamp(ids.length == p ? up : model.addResidual(up, Arrays.copyOfRange(ids, p, all)));
        return working.width() == width && working.height() == height ? working : ImageOps.resize(working, width, height);
    }

    RateSplit split(ImageTokens tokens) {
        int p = Math.min(tokens.tokens().length, model.pivotTokens());
        return new RateSplit((long) p * model.pivotBits(), (long) (tokens.tokens().length - p) * model.residualBits());
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
