package io.tokenlab.plugin.image.titok;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.KMeans;
import io.tokenlab.plugin.image.common.OrderedBasis;
import io.tokenlab.plugin.image.common.TrainingPhotos;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * TiTok's 1-D tokens with a linear encoder: the whole image (at a small working resolution) is
 * projected on an ordered global basis, so every token sees the whole image as TiTok's latent tokens
 * do; coefficients [g*G, (g+1)*G) form group g, and token g is the index of the nearest entry of
 * group g's own k-means codebook. Because the basis is ordered, the first L groups are what a model
 * trained for L tokens would keep, so one model serves every L up to its group count.
 */
public final class GroupedTokenModel {
    private static final int MAGIC = 0x5454544b; // "TTTK"
    private final OrderedBasis basis;
    private final int resolution;
    private final int groupSize;
    private final FloatMatrix[] codebooks;

    GroupedTokenModel(OrderedBasis basis, int resolution, int groupSize, FloatMatrix[] codebooks) {
        if (basis.dimension() != 3 * resolution * resolution) {
            throw new IllegalArgumentException("basis of dimension " + basis.dimension() + " for " + resolution + "^2 RGB");
        }
        if (basis.size() != groupSize * codebooks.length) {
            throw new IllegalArgumentException(basis.size() + " components are not " + codebooks.length
                    + " groups of " + groupSize);
        }
        this.basis = basis;
        this.resolution = resolution;
        this.groupSize = groupSize;
        this.codebooks = codebooks;
    }

    /**
     * Trains the basis and one codebook per group on {@code samples} whole-image views of the
     * photos (see {@link #sampleViews}).
     *
     * @param codebookSize wanted entries per group; fewer when the samples are thin (at least 8
     *                     samples per entry), since k-means cannot place more entries meaningfully
     */
    public static GroupedTokenModel train(Compute compute, List<FloatImage> photos, int resolution, int groups,
                                          int groupSize, int codebookSize, int samples, int iterations, long seed) {
        FloatMatrix views = sampleViews(photos, resolution, samples, seed);
        int components = groups * groupSize;
        // chunks of 128 keep each Jacobi eigen-solve at about 160 x 160, where it takes well under a second
        OrderedBasis basis = GlobalBasisTrainer.train(compute, views, components, 128, 1, seed + 1);
        FloatMatrix coefficients = basis.coefficients(compute, views, components);
        int size = Math.max(2, Math.min(codebookSize, samples / 8));
        FloatMatrix[] codebooks = new FloatMatrix[groups];
        float[] slice = new float[samples * groupSize];
        for (int g = 0; g < groups; g++) {
            for (int i = 0; i < samples; i++) {
                System.arraycopy(coefficients.data(), i * components + g * groupSize, slice, i * groupSize, groupSize);
            }
            codebooks[g] = KMeans.train(compute, new FloatMatrix(samples, groupSize, slice.clone()), size, iterations,
                    seed + 100 + g).centroids();
        }
        return new GroupedTokenModel(basis, resolution, groupSize, codebooks);
    }

    /**
     * Random {@code resolution}-square crops of the photos and their mirror images, each photo first
     * shrunk to a few scales (shortest side 1, 1.5, 2, 3, 4, 6 and 8 times the resolution, where the
     * photo is that large): whole-image statistics at several zooms, without resizing per sample.
     */
    static FloatMatrix sampleViews(List<FloatImage> photos, int resolution, int count, long seed) {
        List<FloatImage> sources = new ArrayList<>();
        for (FloatImage p : photos) {
            FloatImage rgb = ImageOps.rgb(p);
            int shortest = Math.min(rgb.width(), rgb.height());
            for (double zoom : new double[] {1, 1.5, 2, 3, 4, 6, 8}) {
                int target = (int) Math.round(resolution * zoom);
                if (target > shortest) {
                    break;
                }
                double scale = (double) target / shortest;
                FloatImage level = ImageOps.resize(rgb, Math.max(resolution, (int) Math.round(rgb.width() * scale)),
                        Math.max(resolution, (int) Math.round(rgb.height() * scale)));
                sources.add(level);
                sources.add(ImageOps.flipHorizontal(level));
            }
        }
        if (sources.isEmpty()) {
            throw new IllegalArgumentException("no training photo is at least " + resolution + " pixels on each side");
        }
        int d = 3 * resolution * resolution;
        float[] out = new float[count * d];
        Random random = new Random(seed);
        for (int i = 0; i < count; i++) {
            FloatImage source = sources.get(random.nextInt(sources.size()));
            int x = random.nextInt(source.width() - resolution + 1);
            int y = random.nextInt(source.height() - resolution + 1);
            FloatImage view = ImageOps.crop(source, x, y, resolution, resolution);
            System.arraycopy(view.data(), 0, out, i * d, d);
        }
        return new FloatMatrix(count, d, out);
    }

    public int groups() {
        return codebooks.length;
    }

    public int groupSize() {
        return groupSize;
    }

    public int resolution() {
        return resolution;
    }

    public int codebookSize() {
        return codebooks[0].rows();
    }

    public OrderedBasis basis() {
        return basis;
    }

    public int bitsPerToken() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(codebookSize() - 1));
    }

    /** The working view: the whole image resized to the working resolution squared. */
    public FloatImage view(FloatImage image) {
        return TrainingPhotos.workingView(image, resolution);
    }

    /** The first {@code length} tokens of an image. */
    public int[] encode(Compute compute, FloatImage image, int length) {
        requireLength(length);
        FloatImage view = view(image);
        FloatMatrix c = basis.coefficients(compute, new FloatMatrix(1, basis.dimension(), view.data()), length * groupSize);
        int[] tokens = new int[length];
        for (int g = 0; g < length; g++) {
            float[] part = java.util.Arrays.copyOfRange(c.data(), g * groupSize, (g + 1) * groupSize);
            tokens[g] = compute.nearestCentroid(FloatMatrix.row(part), codebooks[g]).centroid()[0];
        }
        return tokens;
    }

    /** The working-resolution image from a token sequence (any length up to the group count). */
    public FloatImage decodeWorking(Compute compute, int[] tokens) {
        requireLength(tokens.length);
        float[] c = new float[tokens.length * groupSize];
        for (int g = 0; g < tokens.length; g++) {
            if (tokens[g] < 0 || tokens[g] >= codebooks[g].rows()) {
                throw new IllegalArgumentException("token " + tokens[g] + " at " + g + " outside the codebook 0.."
                        + (codebooks[g].rows() - 1));
            }
            System.arraycopy(codebooks[g].data(), tokens[g] * groupSize, c, g * groupSize, groupSize);
        }
        FloatMatrix pixels = basis.reconstruct(compute, new FloatMatrix(1, c.length, c));
        return ImageOps.clamp(new FloatImage(resolution, resolution, 3, pixels.data()));
    }

    private void requireLength(int length) {
        if (length < 1 || length > groups()) {
            throw new IllegalArgumentException(length + " tokens, but the model has 1.." + groups() + " groups");
        }
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(resolution);
        out.writeInt(groupSize);
        out.writeInt(codebooks.length);
        out.writeInt(codebookSize());
        basis.write(out);
        for (FloatMatrix book : codebooks) {
            for (float v : book.data()) {
                out.writeFloat(v);
            }
        }
    }

    public static GroupedTokenModel read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a grouped-token model");
        }
        int resolution = in.readInt();
        int groupSize = in.readInt();
        int groups = in.readInt();
        int size = in.readInt();
        if (resolution <= 0 || groupSize <= 0 || groups <= 0 || size <= 0 || (long) size * groupSize > (1 << 26)) {
            throw new IOException("grouped-token model header is malformed");
        }
        OrderedBasis basis = OrderedBasis.read(in);
        FloatMatrix[] books = new FloatMatrix[groups];
        for (int g = 0; g < groups; g++) {
            float[] w = new float[size * groupSize];
            for (int i = 0; i < w.length; i++) {
                w[i] = in.readFloat();
            }
            books[g] = new FloatMatrix(size, groupSize, w);
        }
        return new GroupedTokenModel(basis, resolution, groupSize, books);
    }
}
