package io.tokenlab.plugin.image.common;

import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;

import java.util.List;
import java.util.Map;

/** The real photo sets through the real catalog, cached in the project's data directory. */
final class TestPhotos {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    private static List<FloatImage> training;
    private static List<FloatImage> heldOut;

    private TestPhotos() {
    }

    static synchronized List<FloatImage> training() {
        if (training == null) {
            training = TrainingPhotos.load(CONTEXT, TrainingPhotos.TRAINING_SET);
        }
        return training;
    }

    static synchronized List<FloatImage> heldOut() {
        if (heldOut == null) {
            heldOut = TrainingPhotos.load(CONTEXT, TrainingPhotos.HELD_OUT_SET);
        }
        return heldOut;
    }
}
