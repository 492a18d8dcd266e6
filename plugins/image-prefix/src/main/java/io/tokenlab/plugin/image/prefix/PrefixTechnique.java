package io.tokenlab.plugin.image.prefix;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.api.pipeline.PortType;
import io.tokenlab.api.pipeline.StageTechnique;
import io.tokenlab.plugin.image.common.ImageQuality;
import io.tokenlab.plugin.image.common.PrefixCodec;
import io.tokenlab.plugin.image.common.PrefixModels;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Prefix tokens of flexible length: FlexTok (Bachmann et al. 2025) and One-D-Piece (Miwa et al.
 * 2025) train a 1-D tokenizer with nested dropout so that the first tokens carry the most and any
 * prefix decodes. For a linear autoencoder nested dropout converges to the PCA ordering (Rippel et
 * al. 2014), so this plugin computes that ordering directly (randomized SVD of image blocks from
 * real photos) and quantises with FlexTok's FSQ levels. As a pipeline stage it reconstructs the
 * input and reports tokens used, bytes, PSNR and SSIM.
 */
@Component(service = ImageTechnique.class, property = {
        "tokenlab.technique=image/prefix",
        "tokenlab.description=Ordered 1-D tokens, any prefix decodes (FlexTok arXiv 2502.13967, One-D-Piece arXiv "
                + "2501.10064): PCA basis of image blocks trained by randomized SVD on real photos, the optimum "
                + "nested dropout converges to for a linear model; FSQ 8,8,8,5,5,5 tokens."})
@Designate(ocd = PrefixTechnique.Config.class)
public final class PrefixTechnique implements ImageTechnique, StageTechnique {

    @ObjectClassDefinition(name = "image/prefix", description = "Ordered 1-D prefix tokens of flexible length.")
    public @interface Config {
        @AttributeDefinition(description = "Tokens kept (a prefix of the full sequence; clamped to the sequence length).",
                min = "1", max = "1048576")
        int tokens() default 256;

        @AttributeDefinition(description = "Working resolution: images are resized to this square and back; 0 keeps "
                + "the native size.", min = "0", max = "4096")
        int resolution() default 256;

        @AttributeDefinition(description = "Block side in pixels; a block of 3 x side x side values is one PCA sample.",
                min = "2", max = "32")
        int block() default 16;

        @AttributeDefinition(description = "Ordered components kept per block (rounded down to whole token groups).",
                min = "6", max = "3072")
        int components() default 384;

        @AttributeDefinition(description = "FSQ levels of the values in one token, comma-separated.")
        String levels() default "8,8,8,5,5,5";

        @AttributeDefinition(description = "FSQ range in training standard deviations of each coefficient.",
                min = "0.1", max = "10")
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
        return new PrefixImageCodec(model, context.compute(), c.tokens());
    }

    @Override
    public PortType input() {
        return PortType.IMAGE;
    }

    @Override
    public PortType output() {
        return PortType.IMAGE;
    }

    /** Encodes, decodes and reports what the reconstruction cost and how close it is. */
    @Override
    public Object apply(Object input, Parameters parameters, RunContext context) {
        FloatImage image = (FloatImage) input;
        PrefixImageCodec codec = (PrefixImageCodec) open(parameters, context);
        ImageTokens tokens = codec.encode(image);
        FloatImage reconstruction = codec.decode(tokens);
        int max = codec.model().maxTokens(image.width(), image.height());
        int entropyBytes = codec.model().entropyCode(tokens.tokens(), image.width(), image.height()).length;
        context.note(String.format("tokens %d of %d, bytes %d raw (%d bits/token) / %d entropy-coded (+%d side "
                        + "information), PSNR %.2f dB, SSIM %.4f",
                tokens.tokens().length, max, (tokens.tokenBits() + 7) / 8, tokens.bitsPerToken(), entropyBytes,
                PrefixImageCodec.SIDE_INFORMATION_BYTES, ImageQuality.psnr(image3(image), reconstruction),
                ImageQuality.ssim(image3(image), reconstruction)));
        return reconstruction;
    }

    private static FloatImage image3(FloatImage image) {
        return io.tokenlab.plugin.image.common.ImageOps.rgb(image);
    }
}
