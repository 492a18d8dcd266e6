package io.tokenlab.api.image;

import java.util.Map;

/**
 * Tokens of one image: a 1-D sequence ({@code gridRows == 0}) or a 2-D grid, each token an id below
 * {@code 2^bitsPerToken}; {@code sideInformation} holds what a decoder needs besides the tokens
 * (e.g. a class id, the original size), reported separately in rate figures.
 */
public record ImageTokens(int[] tokens, int gridRows, int gridCols, int bitsPerToken,
                          Map<String, Integer> sideInformation) {
    public ImageTokens {
        sideInformation = Map.copyOf(sideInformation);
    }

    /** Bits of the token sequence alone, before entropy coding. */
    public long tokenBits() {
        return (long) tokens.length * bitsPerToken;
    }
}
