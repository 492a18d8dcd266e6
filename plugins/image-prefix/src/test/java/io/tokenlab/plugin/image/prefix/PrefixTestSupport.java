package io.tokenlab.plugin.image.prefix;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;

import java.util.List;
import java.util.Map;

/** Real photos through the real catalog, and a small model configuration that trains in seconds. */
final class PrefixTestSupport {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    static final int RESOLUTION = 128;
    static final int BLOCK = 8;
    static final int COMPONENTS = 96;
    static final int SAMPLES = 6000;
    static final long SEED = 1;
    private static List<FloatImage> heldOut;

    private PrefixTestSupport() {
    }

    static Parameters small(int tokens) {
        return Parameters.of(Map.of("tokens", tokens, "resolution", RESOLUTION, "block", BLOCK,
                "components", COMPONENTS, "training.samples", SAMPLES, "seed", SEED));
    }

    static synchronized List<FloatImage> heldOut() {
        if (heldOut == null) {
            heldOut = TrainingPhotos.load(CONTEXT, TrainingPhotos.HELD_OUT_SET);
        }
        return heldOut;
    }

    /** A held-out colour photo by index, as RGB. */
    static FloatImage photo(int index) {
        return ImageOps.rgb(heldOut().get(index));
    }
}
