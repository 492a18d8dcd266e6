package io.tokenlab.plugin.image.patchvq;

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
 * The 2-D grid baseline of the 1-D tokenizer papers: VQGAN (Esser et al. 2021) quantises a grid of
 * encoder features to a learned codebook. The classical counterpart trained here quantises the
 * image blocks themselves with a k-means codebook.
 */
@Component(service = ImageTechnique.class, property = {
        "tokenlab.technique=image/patchvq",
        "tokenlab.description=2-D patch VQ grid, the VQGAN baseline (Esser et al. arXiv 2012.09841) of TiTok "
                + "arXiv 2406.07550; the classical counterpart trained here on real photos: a k-means codebook of "
                + "image blocks, one token per block."})
@Designate(ocd = PatchVqTechnique.Config.class)
public final class PatchVqTechnique implements ImageTechnique {
    private static final Map<String, PatchCodebook> LOADED = new ConcurrentHashMap<>();

    @ObjectClassDefinition(name = "image/patchvq", description = "k-means codebook of image blocks, a 2-D token grid.")
    public @interface Config {
        @AttributeDefinition(description = "Codebook entries (token alphabet).", min = "2", max = "65536")
        int codebook() default 256;

        @AttributeDefinition(description = "Working resolution: images are resized to this square and back; 0 keeps "
                + "the native size.", min = "0", max = "4096")
        int resolution() default 128;

        @AttributeDefinition(description = "Block side in pixels (one token per block).", min = "2", max = "32")
        int block() default 8;

        @AttributeDefinition(description = "k-means iterations.", min = "1", max = "1000")
        int iterations() default 20;

        @AttributeDefinition(description = "Blocks sampled from the training photos.", min = "100", max = "1000000")
        int training_samples() default 6000;

        @AttributeDefinition(description = "Seed of block sampling and k-means seeding.")
        long seed() default 1;
    }

    @Override
    public ImageCodec open(Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        if (c.codebook() > c.training_samples()) {
            throw new IllegalArgumentException("a codebook of " + c.codebook() + " entries needs at least as many "
                    + "training blocks, got " + c.training_samples());
        }
        String name = String.format(Locale.ROOT, "patchvq-r%d-b%d-k%d-i%d-n%d-s%d", c.resolution(), c.block(),
                c.codebook(), c.iterations(), c.training_samples(), c.seed());
        PatchCodebook codebook = LOADED.computeIfAbsent(name, n -> ModelStore.loadOrTrain(ModelStore.directory(context), n,
                PatchCodebook::read, (m, out) -> m.write(out),
                () -> PatchCodebook.train(context.compute(), TrainingPhotos.sampleBlocks(
                                TrainingPhotos.load(context, TrainingPhotos.TRAINING_SET), c.resolution(), c.block(),
                                c.training_samples(), c.seed()),
                        c.block(), c.resolution(), c.codebook(), c.iterations(), c.seed() + 1)));
        return new PatchVqImageCodec(codebook, context.compute());
    }
}
