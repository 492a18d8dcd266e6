package io.tokenlab.plugin.image.conditioned;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.plugin.image.common.BlockGrid;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.KMeans;
import io.tokenlab.plugin.image.common.TrainingPhotos;

import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Block codebooks conditioned on a cluster of the whole image: TexTok conditions its tokenizer on a
 * caption; here the condition is the id of the nearest of {@code clusters} k-means centroids of a
 * small global descriptor (colour mean and spread, luminance gradient strength), and each cluster
 * has its own block codebook trained only on images of that cluster. With one cluster this is the
 * unconditioned patch-VQ baseline trained on the same images.
 */
public final class ConditionedModel {
    private static final int MAGIC = 0x5443444d; // "TCDM"
    static final int DESCRIPTOR = 8;
    private final int resolution;
    private final int blockSide;
    private final float[] descriptorMean;
    private final float[] descriptorScale;
    private final FloatMatrix clusterCentroids;
    private final FloatMatrix[] codebooks;

    ConditionedModel(int resolution, int blockSide, float[] descriptorMean, float[] descriptorScale,
                     FloatMatrix clusterCentroids, FloatMatrix[] codebooks) {
        if (clusterCentroids.rows() != codebooks.length || clusterCentroids.cols() != DESCRIPTOR) {
            throw new IllegalArgumentException(clusterCentroids.shape() + " cluster centroids for " + codebooks.length
                    + " codebooks");
        }
        this.resolution = resolution;
        this.blockSide = blockSide;
        this.descriptorMean = descriptorMean;
        this.descriptorScale = descriptorScale;
        this.clusterCentroids = clusterCentroids;
        this.codebooks = codebooks;
    }

    /**
     * Trains on {@code crops} random square crops of the training photos (several scales, mirrored),
     * each seen at the working resolution: their descriptors are clustered, then each cluster's
     * codebook is trained on up to {@code samplesPerCodebook} blocks of its crops.
     */
    public static ConditionedModel train(Compute compute, List<FloatImage> photos, int resolution, int blockSide,
                                         int clusters, int codebookSize, int crops, int samplesPerCodebook,
                                         int iterations, long seed) {
        List<FloatImage> views = sampleCrops(photos, resolution, crops, seed);
        float[] raw = new float[crops * DESCRIPTOR];
        for (int i = 0; i < crops; i++) {
            System.arraycopy(describe(views.get(i)), 0, raw, i * DESCRIPTOR, DESCRIPTOR);
        }
        float[] mean = compute.columnMeans(new FloatMatrix(crops, DESCRIPTOR, raw));
        float[] scale = new float[DESCRIPTOR];
        for (int j = 0; j < DESCRIPTOR; j++) {
            double s = 0;
            for (int i = 0; i < crops; i++) {
                double d = raw[i * DESCRIPTOR + j] - mean[j];
                s += d * d;
            }
            scale[j] = (float) (1 / Math.sqrt(Math.max(s / crops, 1e-12)));
        }
        FloatMatrix standardized = new FloatMatrix(crops, DESCRIPTOR, standardize(raw, mean, scale));
        FloatMatrix centroids = KMeans.train(compute, standardized, clusters, 30, seed + 1).centroids();
        int[] cluster = compute.nearestCentroid(standardized, centroids).centroid();
        BlockGrid grid = new BlockGrid(blockSide, resolution, resolution);
        FloatMatrix[] books = new FloatMatrix[clusters];
        Random random = new Random(seed + 2);
        for (int c = 0; c < clusters; c++) {
            List<FloatMatrix> members = new ArrayList<>();
            for (int i = 0; i < crops; i++) {
                if (cluster[i] == c) {
                    members.add(grid.split(views.get(i)));
                }
            }
            FloatMatrix blocks = subsample(members, samplesPerCodebook, random);
            if (blocks.rows() < codebookSize) {
                throw new IllegalArgumentException("cluster " + c + " has " + blocks.rows() + " blocks, fewer than a "
                        + "codebook of " + codebookSize + "; use fewer clusters or more crops");
            }
            books[c] = KMeans.train(compute, blocks, codebookSize, iterations, seed + 10 + c).centroids();
        }
        return new ConditionedModel(resolution, blockSide, mean, scale, centroids, books);
    }

    static List<FloatImage> sampleCrops(List<FloatImage> photos, int resolution, int count, long seed) {
        List<FloatImage> sources = new ArrayList<>();
        for (FloatImage p : photos) {
            FloatImage rgb = ImageOps.rgb(p);
            sources.add(rgb);
            sources.add(ImageOps.flipHorizontal(rgb));
        }
        Random random = new Random(seed);
        List<FloatImage> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            FloatImage source = sources.get(random.nextInt(sources.size()));
            int shortest = Math.min(source.width(), source.height());
            int smallest = Math.min(shortest, Math.max(resolution, shortest / 3));
            int side = smallest + random.nextInt(shortest - smallest + 1);
            int x = random.nextInt(source.width() - side + 1);
            int y = random.nextInt(source.height() - side + 1);
            out.add(ImageOps.resize(ImageOps.crop(source, x, y, side, side), resolution, resolution));
        }
        return out;
    }

    private static FloatMatrix subsample(List<FloatMatrix> parts, int limit, Random random) {
        int d = parts.isEmpty() ? 1 : parts.get(0).cols();
        int rows = parts.stream().mapToInt(FloatMatrix::rows).sum();
        float[] all = new float[rows * d];
        int at = 0;
        for (FloatMatrix m : parts) {
            System.arraycopy(m.data(), 0, all, at, m.data().length);
            at += m.data().length;
        }
        FloatMatrix stacked = new FloatMatrix(rows, d, all);
        if (rows <= limit) {
            return stacked;
        }
        return stacked.selectRows(random.ints(0, rows).distinct().limit(limit).toArray());
    }

    /** Mean and spread of each channel and mean absolute horizontal and vertical luminance gradient. */
    static float[] describe(FloatImage view) {
        int w = view.width();
        int h = view.height();
        int plane = w * h;
        float[] d = new float[DESCRIPTOR];
        for (int c = 0; c < 3; c++) {
            double s = 0;
            double s2 = 0;
            for (int i = 0; i < plane; i++) {
                double v = view.data()[c * plane + i];
                s += v;
                s2 += v * v;
            }
            double m = s / plane;
            d[c] = (float) m;
            d[3 + c] = (float) Math.sqrt(Math.max(0, s2 / plane - m * m));
        }
        double gx = 0;
        double gy = 0;
        for (int y = 0; y < h; y++) {
            for (int x = 0; x < w; x++) {
                double l = luminance(view, x, y);
                if (x + 1 < w) {
                    gx += Math.abs(luminance(view, x + 1, y) - l);
                }
                if (y + 1 < h) {
                    gy += Math.abs(luminance(view, x, y + 1) - l);
                }
            }
        }
        d[6] = (float) (gx / plane);
        d[7] = (float) (gy / plane);
        return d;
    }

    private static double luminance(FloatImage v, int x, int y) {
        return 0.299 * v.get(0, y, x) + 0.587 * v.get(1, y, x) + 0.114 * v.get(2, y, x);
    }

    private static float[] standardize(float[] raw, float[] mean, float[] scale) {
        float[] out = raw.clone();
        for (int i = 0; i < out.length; i++) {
            out[i] = (out[i] - mean[i % DESCRIPTOR]) * scale[i % DESCRIPTOR];
        }
        return out;
    }

    public int clusters() {
        return codebooks.length;
    }

    public int resolution() {
        return resolution;
    }

    public int blockSide() {
        return blockSide;
    }

    public int codebookSize() {
        return codebooks[0].rows();
    }

    public int bitsPerToken() {
        return Math.max(1, 32 - Integer.numberOfLeadingZeros(codebookSize() - 1));
    }

    /** Bits of the cluster id: ceil(log2(clusters)), 0 for an unconditioned model. */
    public int sideBits() {
        return 32 - Integer.numberOfLeadingZeros(clusters() - 1);
    }

    /** The condition of a working view: its nearest descriptor cluster. */
    public int cluster(Compute compute, FloatImage view) {
        float[] d = standardize(describe(view), descriptorMean, descriptorScale);
        return compute.nearestCentroid(FloatMatrix.row(d), clusterCentroids).centroid()[0];
    }

    public int[] encode(Compute compute, FloatMatrix blocks, int cluster) {
        return compute.nearestCentroid(blocks, codebooks[requireCluster(cluster)]).centroid();
    }

    public FloatMatrix decode(int[] ids, int cluster) {
        FloatMatrix book = codebooks[requireCluster(cluster)];
        int d = book.cols();
        float[] out = new float[ids.length * d];
        for (int i = 0; i < ids.length; i++) {
            if (ids[i] < 0 || ids[i] >= book.rows()) {
                throw new IllegalArgumentException("token " + ids[i] + " at " + i + " outside the codebook 0.." + (book.rows() - 1));
            }
            System.arraycopy(book.data(), ids[i] * d, out, i * d, d);
        }
        return new FloatMatrix(ids.length, d, out);
    }

    private int requireCluster(int cluster) {
        if (cluster < 0 || cluster >= clusters()) {
            throw new IllegalArgumentException("cluster id " + cluster + " outside 0.." + (clusters() - 1));
        }
        return cluster;
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(resolution);
        out.writeInt(blockSide);
        out.writeInt(codebooks.length);
        out.writeInt(codebookSize());
        for (int j = 0; j < DESCRIPTOR; j++) {
            out.writeFloat(descriptorMean[j]);
            out.writeFloat(descriptorScale[j]);
        }
        for (float v : clusterCentroids.data()) {
            out.writeFloat(v);
        }
        for (FloatMatrix book : codebooks) {
            for (float v : book.data()) {
                out.writeFloat(v);
            }
        }
    }

    public static ConditionedModel read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a conditioned-codebook model");
        }
        int resolution = in.readInt();
        int side = in.readInt();
        int clusters = in.readInt();
        int size = in.readInt();
        if (resolution <= 0 || side <= 0 || clusters <= 0 || clusters > 4096 || size <= 0 || size > (1 << 20)) {
            throw new IOException("conditioned-codebook model header is malformed");
        }
        float[] mean = new float[DESCRIPTOR];
        float[] scale = new float[DESCRIPTOR];
        for (int j = 0; j < DESCRIPTOR; j++) {
            mean[j] = in.readFloat();
            scale[j] = in.readFloat();
        }
        float[] c = new float[clusters * DESCRIPTOR];
        for (int i = 0; i < c.length; i++) {
            c[i] = in.readFloat();
        }
        int d = BlockGrid.dimension(side);
        FloatMatrix[] books = new FloatMatrix[clusters];
        for (int k = 0; k < clusters; k++) {
            float[] w = new float[size * d];
            for (int i = 0; i < w.length; i++) {
                w[i] = in.readFloat();
            }
            books[k] = new FloatMatrix(size, d, w);
        }
        return new ConditionedModel(resolution, side, mean, scale, new FloatMatrix(clusters, DESCRIPTOR, c), books);
    }
}
