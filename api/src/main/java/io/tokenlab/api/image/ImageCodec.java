package io.tokenlab.api.image;

/** An opened image tokenizer (trained basis or codebooks loaded). Safe for concurrent use. */
public interface ImageCodec {
    ImageTokens encode(FloatImage image);

    FloatImage decode(ImageTokens tokens);
}
