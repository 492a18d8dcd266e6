package io.tokenlab.api.testkit;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.image.ImageTokens;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Checks every image plugin must pass: token range, shape of the decoded image, determinism. */
public abstract class ImageConformance {
    protected abstract ImageTechnique technique();

    protected abstract Parameters validParameters();

    protected abstract RunContext context();

    /** A real photo the codec was not trained on. */
    protected abstract FloatImage image();

    @Test
    void decodesToTheSameShapeWithTokensInRange() {
        ImageCodec codec = technique().open(validParameters(), context());
        FloatImage in = image();
        ImageTokens tokens = codec.encode(in);
        for (int t : tokens.tokens()) {
            assertThat((long) t).isBetween(0L, (1L << tokens.bitsPerToken()) - 1);
        }
        FloatImage out = codec.decode(tokens);
        assertThat(out.width()).isEqualTo(in.width());
        assertThat(out.height()).isEqualTo(in.height());
        assertThat(out.channels()).isEqualTo(in.channels());
    }

    @Test
    void isDeterministic() {
        ImageCodec codec = technique().open(validParameters(), context());
        assertThat(codec.encode(image()).tokens()).isEqualTo(codec.encode(image()).tokens());
    }
}
