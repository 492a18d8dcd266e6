package io.tokenlab.plugin.image.titok;

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
 * TiTok (Yu et al. 2024) encodes an image into L in {32, 64, 128} 1-D latent tokens, each a 12-dim
 * vector quantised to a 4096-entry codebook. The linear counterpart trained here: a global ordered
 * basis of whole (downsampled) images, coefficients in 12-dim groups, each group quantised with its
 * own k-means codebook.
 */
@Component(service = ImageTechnique.class, property = {
        "tokenlab.technique=image/titok",
        "tokenlab.description=1-D grouped tokens (TiTok arXiv 2406.07550); the linear counterpart trained here on "
                + "real photos: a global ordered basis of whole images (chunked randomized eigen-decomposition), "
                + "12-dim coefficient groups, one k-means codebook per group, L tokens."})
@Designate(ocd = TitokTechnique.Config.class)
public final class TitokTechnique implements ImageTechnique {
    private static final Map<String, GroupedTokenModel> LOADED = new ConcurrentHashMap<>();

    @ObjectClassDefinition(name = "image/titok", description = "L grouped, vector-quantised global tokens.")
    public @interface Config {
        @AttributeDefinition(description = "Tokens L (TiTok uses 32, 64 or 128); at most groups.", min = "1",
                max = "4096")
        int tokens() default 64;

        @AttributeDefinition(description = "Groups the model is trained for (the largest L it serves).", min = "1",
                max = "4096")
        int groups() default 128;

        @AttributeDefinition(description = "Coefficients per group (TiTok's token dimension).", min = "1", max = "64")
        int group_size() default 12;

        @AttributeDefinition(description = "Wanted codebook entries per group; fewer (samples / 8) when training "
                + "data is thin.", min = "2", max = "65536")
        int codebook() default 4096;

        @AttributeDefinition(description = "Working resolution: the whole image is resized to this square.",
                min = "4", max = "64")
        int resolution() default 32;

        @AttributeDefinition(description = "Whole-image crops sampled from the training photos.", min = "100",
                max = "100000")
        int training_samples() default 4000;

        @AttributeDefinition(description = "k-means iterations per codebook.", min = "1", max = "1000")
        int iterations() default 10;

        @AttributeDefinition(description = "Seed of crop sampling, the basis and the codebooks.")
        long seed() default 1;
    }

    @Override
    public ImageCodec open(Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        return new TitokImageCodec(model(context, c), context.compute(), c.tokens());
    }

    private static GroupedTokenModel model(RunContext context, Config c) {
        String name = String.format(Locale.ROOT, "titok-r%d-g%dx%d-k%d-n%d-i%d-s%d", c.resolution(), c.groups(),
                c.group_size(), c.codebook(), c.training_samples(), c.iterations(), c.seed());
        return LOADED.computeIfAbsent(name, n -> ModelStore.loadOrTrain(ModelStore.directory(context), n,
                GroupedTokenModel::read, (m, out) -> m.write(out),
                () -> GroupedTokenModel.train(context.compute(), TrainingPhotos.load(context, TrainingPhotos.TRAINING_SET),
                        c.resolution(), c.groups(), c.group_size(), c.codebook(), c.training_samples(), c.iterations(),
                        c.seed())));
    }
}
