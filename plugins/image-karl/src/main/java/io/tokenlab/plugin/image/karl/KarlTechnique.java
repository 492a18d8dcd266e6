package io.tokenlab.plugin.image.karl;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.ImageQuality;
import io.tokenlab.plugin.image.common.PrefixCodec;
import io.tokenlab.plugin.image.common.PrefixModels;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;
import java.util.Map;

/**
 * Adaptive length: KARL (Duggal et al. 2025) trains a tokenizer to predict, in one pass, how many
 * tokens an image needs for a target reconstruction error. On an orthonormal ordered basis that
 * prediction is exact: the error after k tokens is the block energy minus what the first k
 * quantised tokens capture, one cumulative sum, so the shortest prefix reaching the target is read
 * off directly. Complex images (textures) therefore get more tokens than smooth ones.
 */
@Component(service = ImageTechnique.class, property = {
        "tokenlab.technique=image/karl",
        "tokenlab.description=Adaptive token count for a target error in one pass (KARL, arXiv 2507.07995): on the "
                + "ordered prefix tokens of image/prefix the error of every prefix is one cumulative sum, so the "
                + "shortest prefix reaching the target PSNR is exact, not predicted."})
@Designate(ocd = KarlTechnique.Config.class)
public final class KarlTechnique implements ImageTechnique {

    @ObjectClassDefinition(name = "image/karl", description = "Adaptive-length prefix tokens for a target PSNR.")
    public @interface Config {
        @AttributeDefinition(description = "Target PSNR in dB at the working resolution; the shortest prefix reaching "
                + "it is kept (all tokens when none does).", min = "5", max = "80")
        double target_psnr() default 28.0;

        @AttributeDefinition(description = "Upper bound on the tokens of one image.", min = "1", max = "1048576")
        int max_tokens() default 1048576;

        @AttributeDefinition(description = "Working resolution (square); 0 keeps the native size.", min = "0", max = "4096")
        int resolution() default 256;

        @AttributeDefinition(description = "Block side in pixels.", min = "2", max = "32")
        int block() default 16;

        @AttributeDefinition(description = "Ordered components per block (whole token groups).", min = "6", max = "3072")
        int components() default 384;

        @AttributeDefinition(description = "FSQ levels of the values in one token, comma-separated.")
        String levels() default "8,8,8,5,5,5";

        @AttributeDefinition(description = "FSQ range in training standard deviations.", min = "0.1", max = "10")
        double range() default 2.0;

        @AttributeDefinition(description = "Blocks sampled from the training photos to train the basis.",
                min = "100", max = "1000000")
        int training_samples() default 20000;

        @AttributeDefinition(description = "Seed of block sampling and of the randomized SVD.")
        long seed() default 1;
    }

    @Override
    public ImageCodec open(Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        PrefixCodec model = PrefixModels.model(context, c.resolution(), c.block(), c.components(), c.levels(), c.range(),
                c.training_samples(), c.seed());
        return new AdaptiveCodec(model, context.compute(), c.target_psnr(), c.max_tokens());
    }

    /** Encodes to the shortest prefix that reaches the target. */
    static final class AdaptiveCodec implements ImageCodec {
        private final PrefixCodec model;
        private final Compute compute;
        private final double targetMse;
        private final int maxTokens;

        AdaptiveCodec(PrefixCodec model, Compute compute, double targetPsnr, int maxTokens) {
            this.model = model;
            this.compute = compute;
            this.targetMse = Math.pow(10, -targetPsnr / 10);
            this.maxTokens = maxTokens;
        }

        PrefixCodec model() {
            return model;
        }

        /** The shortest prefix length whose exact error reaches the target, in one pass over the sequence. */
        int tokensNeeded(PrefixCodec.Encoded encoded) {
            int limit = Math.min(maxTokens, encoded.tokens().length);
            for (int k = 0; k <= limit; k++) {
                if (encoded.mseAfter(k) <= targetMse) {
                    return Math.max(k, 1);
                }
            }
            return Math.max(limit, 1);
        }

        @Override
        public ImageTokens encode(FloatImage image) {
            PrefixCodec.Encoded encoded = model.encode(compute, image);
            int k = tokensNeeded(encoded);
            return new ImageTokens(Arrays.copyOf(encoded.tokens(), k), 0, 0, model.fsq().bitsPerToken(),
                    Map.of("width", image.width(), "height", image.height()));
        }

        @Override
        public FloatImage decode(ImageTokens tokens) {
            if (tokens.gridRows() != 0 || tokens.bitsPerToken() != model.fsq().bitsPerToken()) {
                throw new IllegalArgumentException("expected a 1-D sequence of " + model.fsq().bitsPerToken()
                        + "-bit tokens, got " + (tokens.gridRows() != 0 ? "a grid" : tokens.bitsPerToken() + "-bit tokens"));
            }
            Integer w = tokens.sideInformation().get("width");
            Integer h = tokens.sideInformation().get("height");
            if (w == null || h == null || w <= 0 || h <= 0) {
                throw new IllegalArgumentException("tokens lack a positive image size in their side information: "
                        + tokens.sideInformation());
            }
            return model.decode(compute, tokens.tokens(), w, h);
        }

        /** PSNR of the working-resolution reconstruction (what the target is measured on). */
        double workingPsnr(FloatImage original, ImageTokens tokens) {
            FloatImage working = model.decodeWorking(compute, tokens.tokens(), original.width(), original.height());
            return ImageQuality.psnr(io.tokenlab.plugin.image.common.TrainingPhotos.workingView(original,
                    model.resolution()), working);
        }
    }
}
