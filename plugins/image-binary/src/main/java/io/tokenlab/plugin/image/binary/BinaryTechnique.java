package io.tokenlab.plugin.image.binary;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.image.ImageCodec;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.plugin.image.common.ModelStore;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Binary latents: Instella-T2I and ELM encode an image to bits whose decoder is linear in them. The
 * linear/classical counterpart trained here is PCA of image blocks, an ITQ rotation that makes the
 * signs lose as little as possible, sign bits, and a least-squares linear decoder from bits to pixels.
 */
@Component(service = ImageTechnique.class, property = {
        "tokenlab.technique=image/binary",
        "tokenlab.description=Binary latent tokens (Instella-T2I arXiv 2506.21022, ELM arXiv 2410.16257); the "
                + "linear/classical counterpart trained here on real photos: PCA of image blocks, ITQ rotation "
                + "(Gong and Lazebnik), sign bits, least-squares linear decoder."})
@Designate(ocd = BinaryTechnique.Config.class)
public final class BinaryTechnique implements ImageTechnique {
    private static final Map<String, ItqModel> LOADED = new ConcurrentHashMap<>();

    @ObjectClassDefinition(name = "image/binary", description = "PCA -> ITQ -> sign bits, linear decoder.")
    public @interface Config {
        @AttributeDefinition(description = "Bits per block (principal directions kept and rotated).", min = "1",
                max = "768")
        int bits() default 32;

        @AttributeDefinition(description = "Bits per token: each block's code is split into tokens of this many "
                + "bits (must divide bits).", min = "1", max = "30")
        int token_bits() default 16;

        @AttributeDefinition(description = "Working resolution: images are resized to this square and back; 0 keeps "
                + "the native size.", min = "0", max = "4096")
        int resolution() default 128;

        @AttributeDefinition(description = "Block side in pixels.", min = "2", max = "16")
        int block() default 8;

        @AttributeDefinition(description = "ITQ iterations; 0 keeps unrotated PCA signs (the baseline).", min = "0",
                max = "1000")
        int iterations() default 50;

        @AttributeDefinition(description = "Blocks sampled from the training photos.", min = "100", max = "1000000")
        int training_samples() default 6000;

        @AttributeDefinition(description = "Seed of block sampling, the randomized SVD and ITQ's start.")
        long seed() default 1;
    }

    @Override
    public ImageCodec open(Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        // checked before training, so a bad split costs no model
        BinaryImageCodec.requireSplit(c.bits(), c.token_bits());
        return new BinaryImageCodec(model(context, c), context.compute(), c.token_bits());
    }

    static ItqModel model(RunContext context, Config c) {
        String name = String.format(Locale.ROOT, "binary-r%d-b%d-c%d-i%d-n%d-s%d", c.resolution(), c.block(), c.bits(),
                c.iterations(), c.training_samples(), c.seed());
        return LOADED.computeIfAbsent(name, n -> ModelStore.loadOrTrain(ModelStore.directory(context), n,
                ItqModel::read, (m, out) -> m.write(out),
                () -> ItqModel.train(context.compute(), TrainingPhotos.sampleBlocks(
                                TrainingPhotos.load(context, TrainingPhotos.TRAINING_SET), c.resolution(), c.block(),
                                c.training_samples(), c.seed()),
                        c.block(), c.resolution(), c.bits(), c.iterations(), c.seed() + 1)));
    }
}
