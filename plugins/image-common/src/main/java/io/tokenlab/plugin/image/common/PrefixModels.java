package io.tokenlab.plugin.image.common;

import io.tokenlab.api.RunContext;

import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Trained prefix codecs shared by the prefix-token plugins: in memory per configuration, on disk in the data directory's model cache (trained on the first use). */
public final class PrefixModels {
    private static final Map<String, PrefixCodec> LOADED = new ConcurrentHashMap<>();

    private PrefixModels() {
    }

    public static PrefixCodec model(RunContext context, int resolution, int block, int components, String levels, double range,
                             int samples, long seed) {
        Fsq fsq = new Fsq(Fsq.parseLevels(levels), range);
        String name = String.format(Locale.ROOT, "prefix-r%d-b%d-k%d-l%s-R%s-n%d-s%d", resolution, block, components,
                levels.replaceAll("[^0-9]+", "."), Double.toString(range), samples, seed);
        return LOADED.computeIfAbsent(name, n -> ModelStore.loadOrTrain(ModelStore.directory(context), n,
                PrefixCodec::read, (m, out) -> m.write(out),
                () -> PrefixCodec.train(context.compute(), TrainingPhotos.load(context, TrainingPhotos.TRAINING_SET),
                        resolution, block, components, fsq, samples, seed)));
    }
}
