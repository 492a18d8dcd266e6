package io.tokenlab.plugin.image.pivots;

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
 * Hi-MAR (Zheng et al. 2025) first generates low-resolution pivot tokens and then the dense tokens
 * conditioned on them. The classical counterpart trained here is a two-level Laplacian pyramid with a
 * k-means codebook per level: tokens of the downsampled image, then tokens of the residual against
 * its upsampling.
 */
@Component(service = ImageTechnique.class, property = {
        "tokenlab.technique=image/pivots",
        "tokenlab.description=Low-resolution pivot tokens then residual tokens (Hi-MAR arXiv 2505.20288); the "
                + "classical counterpart trained here on real photos: a two-level Laplacian pyramid, k-means "
                + "block codebooks for the downsampled image and for the residual against its upsampling."})
@Designate(ocd = PivotTechnique.Config.class)
public final class PivotTechnique implements ImageTechnique {
    private static final Map<String, PivotModel> LOADED = new ConcurrentHashMap<>();

    @ObjectClassDefinition(name = "image/pivots", description = "Pivot tokens of a downsampled image, then residual tokens.")
    public @interface Config {
        @AttributeDefinition(description = "Working resolution (square).", min = "8", max = "4096")
        int resolution() default 128;

        @AttributeDefinition(description = "Downsampling factor of the pivot image.", min = "2", max = "16")
        int factor() default 2;

        @AttributeDefinition(description = "Block side of a pivot token, in pivot-image pixels.", min = "1", max = "32")
        int pivot_block() default 4;

        @AttributeDefinition(description = "Block side of a residual token, in working pixels.", min = "1", max = "32")
        int residual_block() default 8;

        @AttributeDefinition(description = "Pivot codebook entries.", min = "2", max = "65536")
        int pivot_codebook() default 256;

        @AttributeDefinition(description = "Residual codebook entries.", min = "2", max = "65536")
        int residual_codebook() default 256;

        @AttributeDefinition(description = "Emit residual tokens after the pivots; false sends the pivots alone.")
        boolean residual() default true;

        @AttributeDefinition(description = "k-means iterations per codebook.", min = "1", max = "1000")
        int iterations() default 15;

        @AttributeDefinition(description = "Seed of k-means seeding.")
        long seed() default 1;
    }

    @Override
    public ImageCodec open(Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        String name = String.format(Locale.ROOT, "pivots-r%d-f%d-b%d.%d-k%d.%d-i%d-s%d", c.resolution(), c.factor(),
                c.pivot_block(), c.residual_block(), c.pivot_codebook(), c.residual_codebook(), c.iterations(), c.seed());
        PivotModel model = LOADED.computeIfAbsent(name, n -> ModelStore.loadOrTrain(ModelStore.directory(context), n,
                PivotModel::read, (m, out) -> m.write(out),
                () -> PivotModel.train(context.compute(), TrainingPhotos.load(context, TrainingPhotos.TRAINING_SET),
                        c.resolution(), c.factor(), c.pivot_block(), c.residual_block(), c.pivot_codebook(),
                        c.residual_codebook(), c.iterations(), c.seed())));
        return new PivotImageCodec(model, context.compute(), c.residual());
    }
}
