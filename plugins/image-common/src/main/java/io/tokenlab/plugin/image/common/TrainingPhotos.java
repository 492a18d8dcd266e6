package io.tokenlab.plugin.image.common;

import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * The photos image models train on and the held-out photos they are evaluated on. They come from
 * different packages (OpenCV's sample photos for training, scikit-image's for evaluation), so no
 * evaluated photo, nor a crop of it, is ever seen in training.
 */
public final class TrainingPhotos {
    /** Catalog data set of training photos. */
    public static final String TRAINING_SET = "opencv-photos";
    /** Catalog data set of held-out photos and textures. */
    public static final String HELD_OUT_SET = "skimage-photos";

    private TrainingPhotos() {
    }

    /** Every photo of a catalog data set, RGB, sorted by file name. */
    public static List<FloatImage> load(RunContext context, String dataSet) {
        try {
            return loadDirectory(context.data().fetch(dataSet));
        } catch (IOException e) {
            throw new UncheckedIOException("photos '" + dataSet + "': " + e.getMessage(), e);
        }
    }

    public static List<FloatImage> loadDirectory(Path directory) throws IOException {
        List<FloatImage> out = new ArrayList<>();
        for (Path p : ImageFiles.photosIn(directory)) {
            out.add(ImageFiles.read(p));
        }
        if (out.isEmpty()) {
            throw new IOException("no PNG or JPEG photos in " + directory);
        }
        return out;
    }

    /**
     * The view of a photo a codec of this working resolution sees: resized to {@code resolution}
     * squared, or unchanged when resolution is 0 (native size).
     */
    public static FloatImage workingView(FloatImage photo, int resolution) {
        FloatImage rgb = ImageOps.rgb(photo);
        return resolution <= 0 ? rgb : ImageOps.resize(rgb, resolution, resolution);
    }

    /**
     * {@code count} blocks of {@code side} pixels at random positions of the working views of the
     * photos and of their mirror images (n x 3 side^2).
     */
    public static FloatMatrix sampleBlocks(List<FloatImage> photos, int resolution, int side, int count, long seed) {
        List<FloatImage> views = new ArrayList<>();
        for (FloatImage p : photos) {
            FloatImage v = workingView(p, resolution);
            if (v.width() >= side && v.height() >= side) {
                views.add(v);
                views.add(ImageOps.flipHorizontal(v));
            }
        }
        if (views.isEmpty()) {
            throw new IllegalArgumentException("no training photo is at least " + side + " pixels on each side");
        }
        int d = BlockGrid.dimension(side);
        float[] out = new float[count * d];
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            FloatImage v = views.get(random.nextInt(views.size()));
            int x = random.nextInt(v.width() - side + 1);
            int y = random.nextInt(v.height() - side + 1);
            BlockGrid.copyBlock(v, x, y, out, i * d, side);
        }
        return new FloatMatrix(count, d, out);
    }
}
