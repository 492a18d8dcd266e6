package io.tokenlab.api.prune;

import io.tokenlab.api.compute.FloatMatrix;

import java.util.List;

/**
 * A set of N tokens to prune. Only {@code features} is required; criteria that need more say so
 * and fail clearly when it is missing.
 *
 * @param features     N x D token features (e.g. visual tokens after the projector)
 * @param scores       optional per-token importance (length N), e.g. [CLS] attention
 * @param gridRows     rows of the token grid, 0 if the tokens are not a grid
 * @param gridCols     columns of the token grid, 0 if not a grid
 * @param layerStates  optional per-layer token states (each N x D), in layer order
 * @param attention    optional attention map (queries x N), e.g. from instruction tokens
 * @param context      optional context features (M x D), e.g. the text tokens
 */
public record TokenSet(FloatMatrix features, float[] scores, int gridRows, int gridCols,
                       List<FloatMatrix> layerStates, FloatMatrix attention, FloatMatrix context) {
    public TokenSet {
        if (scores != null && scores.length != features.rows()) {
            throw new IllegalArgumentException(scores.length + " scores for " + features.rows() + " tokens");
        }
        if (gridRows * gridCols != 0 && gridRows * gridCols != features.rows()) {
            throw new IllegalArgumentException("grid " + gridRows + "x" + gridCols + " does not hold "
                    + features.rows() + " tokens");
        }
        layerStates = layerStates == null ? List.of() : List.copyOf(layerStates);
    }

    public static TokenSet of(FloatMatrix features) {
        return new TokenSet(features, null, 0, 0, List.of(), null, null);
    }

    public int size() {
        return features.rows();
    }
}
