package io.tokenlab.plugin.image.conditioned;

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
 * TexTok (Zha et al. 2024) conditions tokenizer and detokenizer on the caption, so the tokens need not
 * carry what the text already says. The classical counterpart trained here: a cluster id from k-means
 * over global image descriptors is side information that selects the block codebook.
 */
@Component(service = ImageTechnique.class, property = {
        "tokenlab.technique=image/conditioned",
        "tokenlab.description=Side-information conditioning (TexTok arXiv 2412.05796); the classical counterpart "
                + "trained here on real photos: a k-means cluster id over image descriptors selects the block "
                + "codebook, its bits reported separately from the token bits."})
@Designate(ocd = ConditionedTechnique.Config.class)
public final class ConditionedTechnique implements ImageTechnique {
    private static final Map<String, ConditionedModel> LOADED = new ConcurrentHashMap<>();

    @ObjectClassDefinition(name = "image/conditioned", description = "Cluster-conditioned block codebooks.")
    public @interface Config {
        @AttributeDefinition(description = "Descriptor clusters (1 = unconditioned baseline).", min = "1", max = "64")
        int clusters() default 4;

        @AttributeDefinition(description = "Codebook entries per cluster.", min = "2", max = "65536")
        int codebook() default 256;

        @AttributeDefinition(description = "Working resolution (square).", min = "8", max = "4096")
        int resolution() default 128;

        @AttributeDefinition(description = "Block side in pixels (one token per block).", min = "2", max = "32")
        int block() default 8;

        @AttributeDefinition(description = "Training crops of the photos, clustered by descriptor.", min = "10",
                max = "100000")
        int crops() default 400;

        @AttributeDefinition(description = "Blocks each codebook trains on at most.", min = "100", max = "1000000")
        int training_samples() default 6000;

        @AttributeDefinition(description = "k-means iterations per codebook.", min = "1", max = "1000")
        int iterations() default 15;

        @AttributeDefinition(description = "Seed of crops, clusters and codebooks.")
        long seed() default 1;
    }

    @Override
    public ImageCodec open(Parameters parameters, RunContext context) {
        Config c = parameters.as(Config.class);
        String name = String.format(Locale.ROOT, "conditioned-r%d-b%d-c%d-k%d-m%d-n%d-i%d-s%d", c.resolution(),
                c.block(), c.clusters(), c.codebook(), c.crops(), c.training_samples(), c.iterations(), c.seed());
        ConditionedModel model = LOADED.computeIfAbsent(name, n -> ModelStore.loadOrTrain(ModelStore.directory(context), n,
                ConditionedModel::read, (m, out) -> m.write(out),
                () -> ConditionedModel.train(context.compute(), TrainingPhotos.load(context, TrainingPhotos.TRAINING_SET),
                        c.resolution(), c.block(), c.clusters(), c.codebook(), c.crops(), c.training_samples(),
                        c.iterations(), c.seed())));
        return new ConditionedImageCodec(model, context.compute());
    }
}
