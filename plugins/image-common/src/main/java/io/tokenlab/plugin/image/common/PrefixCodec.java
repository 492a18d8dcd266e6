package io.tokenlab.plugin.image.common;

import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.image.FloatImage;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.util.List;

/**
 * Ordered 1-D tokens of which every prefix decodes: the FlexTok / One-D-Piece mechanism with a
 * linear model. The image (resized to the working resolution) is cut into blocks; each block gets
 * coefficients on an ordered PCA basis; coefficients, scaled by their training standard deviation,
 * are finite-scalar-quantised in groups (one group = one token). The sequence runs group by group
 * (most important coefficients of every block first), and within a group over the blocks from coarse
 * to fine lattice positions, so a prefix always holds the most variance per token the basis allows.
 * Tokens not given decode as zero coefficients (the block mean), which is the prefix's optimum.
 */
public final class PrefixCodec {
    private static final int MAGIC = 0x544c5043; // "TLPC"
    private final OrderedBasis basis;
    private final int blockSide;
    private final int resolution;
    private final Fsq fsq;
    private final float[] deviation;

    public PrefixCodec(OrderedBasis basis, int blockSide, int resolution, Fsq fsq) {
        if (basis.dimension() != BlockGrid.dimension(blockSide)) {
            throw new IllegalArgumentException("basis of dimension " + basis.dimension() + " for blocks of " + blockSide);
        }
        if (basis.size() % fsq.groupSize() != 0) {
            throw new IllegalArgumentException(basis.size() + " components are not whole groups of " + fsq.groupSize());
        }
        this.basis = basis;
        this.blockSide = blockSide;
        this.resolution = resolution;
        this.fsq = fsq;
        this.deviation = new float[basis.size()];
        for (int i = 0; i < deviation.length; i++) {
            deviation[i] = (float) Math.sqrt(Math.max(basis.variance(i), 1e-12f));
        }
    }

    /**
     * Trains the basis on blocks sampled from {@code photos} by randomized SVD.
     *
     * @param components rounded down to whole token groups
     */
    public static PrefixCodec train(Compute compute, List<FloatImage> photos, int resolution, int blockSide,
                                    int components, Fsq fsq, int samples, long seed) {
        int d = BlockGrid.dimension(blockSide);
        int k = Math.min(components, d) / fsq.groupSize() * fsq.groupSize();
        if (k <= 0) {
            throw new IllegalArgumentException(components + " components make no group of " + fsq.groupSize());
        }
        FloatMatrix blocks = TrainingPhotos.sampleBlocks(photos, resolution, blockSide, samples, seed);
        OrderedBasis basis = BasisTrainer.randomizedSvd(compute, blocks, k, Math.max(16, k / 4), 6, seed + 1);
        return new PrefixCodec(basis, blockSide, resolution, fsq);
    }

    public OrderedBasis basis() {
        return basis;
    }

    public Fsq fsq() {
        return fsq;
    }

    public int blockSide() {
        return blockSide;
    }

    /** Working resolution (images are resized to it squared), or 0 for native size. */
    public int resolution() {
        return resolution;
    }

    public int groups() {
        return basis.size() / fsq.groupSize();
    }

    /** The block grid of an image of this size once brought to the working resolution. */
    public BlockGrid grid(int width, int height) {
        return resolution > 0 ? new BlockGrid(blockSide, resolution, resolution) : new BlockGrid(blockSide, width, height);
    }

    public int maxTokens(int width, int height) {
        return groups() * grid(width, height).blocks();
    }

    /** The full token sequence of an image and the exact squared error after every prefix length. */
    public record Encoded(int[] tokens, double[] errorAfter, int workingPixels) {
        /** Mean squared error per sample (working resolution, before clamping) after {@code k} tokens. */
        public double mseAfter(int k) {
            return errorAfter[k] / (3.0 * workingPixels);
        }
    }

    public Encoded encode(Compute compute, FloatImage image) {
        ImageOps.requireUsable(image);
        FloatImage view = TrainingPhotos.workingView(image, resolution);
        BlockGrid grid = grid(image.width(), image.height());
        FloatMatrix blocks = grid.split(view);
        FloatMatrix centred = basis.centre(blocks);
        FloatMatrix coefficients = compute.multiplyTransposed(centred, basis.components());
        int n = grid.blocks();
        int k = basis.size();
        int groupSize = fsq.groupSize();
        int[] order = grid.spreadOrder();
        int total = groups() * n;
        int[] tokens = new int[total];
        double[] error = new double[total + 1];
        // padded pixels count too: they are what the blocks hold, and they are few
        double energy = 0;
        for (float v : centred.data()) {
            energy += (double) v * v;
        }
        error[0] = energy;
        int[] digits = new int[groupSize];
        for (int t = 0; t < total; t++) {
            int g = t / n;
            int b = order[t % n];
            double gain = 0;
            for (int p = 0; p < groupSize; p++) {
                int j = g * groupSize + p;
                double c = coefficients.data()[b * k + j];
                digits[p] = fsq.digit(p, c / deviation[j]);
                double q = fsq.value(p, digits[p]) * deviation[j];
                gain += c * c - (c - q) * (c - q);
            }
            tokens[t] = fsq.pack(digits);
            error[t + 1] = error[t] - gain;
        }
        return new Encoded(tokens, error, view.width() * view.height());
    }

    /**
     * The image of size {@code width x height} from any prefix of its token sequence.
     *
     * @throws IllegalArgumentException when there are more tokens than an image of this size has, or a
     *                                  token is outside the FSQ alphabet
     */
    public FloatImage decode(Compute compute, int[] tokens, int width, int height) {
        FloatImage working = decodeWorking(compute, tokens, width, height);
        return working.width() == width && working.height() == height ? working : ImageOps.resize(working, width, height);
    }

    /** The reconstruction at the working resolution (what the error curve of {@link #encode} measures). */
    public FloatImage decodeWorking(Compute compute, int[] tokens, int width, int height) {
        if (width <= 0 || height <= 0) {
            throw new IllegalArgumentException("cannot decode to a " + width + "x" + height + " image");
        }
        BlockGrid grid = grid(width, height);
        int n = grid.blocks();
        int max = groups() * n;
        if (tokens.length > max) {
            throw new IllegalArgumentException(tokens.length + " tokens, but a " + width + "x" + height
                    + " image has at most " + max + " (" + groups() + " groups x " + n + " blocks)");
        }
        int groupSize = fsq.groupSize();
        int usedGroups = (tokens.length + n - 1) / n;
        int kUsed = usedGroups * groupSize;
        float[] coefficients = new float[n * kUsed];
        int[] order = grid.spreadOrder();
        for (int t = 0; t < tokens.length; t++) {
            int g = t / n;
            int b = order[t % n];
            int[] digits = fsq.unpack(tokens[t]);
            for (int p = 0; p < groupSize; p++) {
                int j = g * groupSize + p;
                coefficients[b * kUsed + j] = (float) (fsq.value(p, digits[p]) * deviation[j]);
            }
        }
        FloatMatrix blocks = basis.reconstruct(compute, new FloatMatrix(n, kUsed, coefficients));
        FloatImage working = grid.assemble(blocks);
        return ImageOps.clamp(working);
    }

    /**
     * The token sequence of an image of this size entropy-coded: FSQ digits through an adaptive range
     * coder with one model per coefficient index (high-order coefficients are mostly the zero level
     * and cost little). The image size is side information, as in {@link #decode}.
     */
    public byte[] entropyCode(int[] tokens, int width, int height) {
        int n = grid(width, height).blocks();
        RangeCoder.Model[] models = models();
        RangeCoder.Encoder encoder = new RangeCoder.Encoder();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        writeVarint(out, tokens.length);
        int groupSize = fsq.groupSize();
        for (int t = 0; t < tokens.length; t++) {
            int[] digits = fsq.unpack(tokens[t]);
            for (int p = 0; p < groupSize; p++) {
                encoder.encode(models[(t / n) * groupSize + p], digits[p]);
            }
        }
        out.writeBytes(encoder.finish());
        return out.toByteArray();
    }

    /** Inverse of {@link #entropyCode}. */
    public int[] entropyDecode(byte[] bytes, int width, int height) {
        int n = grid(width, height).blocks();
        int[] position = {0};
        int count = readVarint(bytes, position);
        if (count > groups() * n) {
            throw new IllegalArgumentException("entropy-coded stream claims " + count + " tokens; at most "
                    + groups() * n + " exist");
        }
        RangeCoder.Decoder decoder = new RangeCoder.Decoder(java.util.Arrays.copyOfRange(bytes, position[0], bytes.length));
        RangeCoder.Model[] models = models();
        int groupSize = fsq.groupSize();
        int[] tokens = new int[count];
        int[] digits = new int[groupSize];
        for (int t = 0; t < count; t++) {
            for (int p = 0; p < groupSize; p++) {
                digits[p] = decoder.decode(models[(t / n) * groupSize + p]);
            }
            tokens[t] = fsq.pack(digits);
        }
        return tokens;
    }

    private RangeCoder.Model[] models() {
        RangeCoder.Model[] models = new RangeCoder.Model[basis.size()];
        for (int j = 0; j < models.length; j++) {
            models[j] = new RangeCoder.Model(fsq.levels(j % fsq.groupSize()));
        }
        return models;
    }

    private static void writeVarint(ByteArrayOutputStream out, int v) {
        while ((v & ~0x7f) != 0) {
            out.write((v & 0x7f) | 0x80);
            v >>>= 7;
        }
        out.write(v);
    }

    private static int readVarint(byte[] in, int[] position) {
        int v = 0;
        for (int shift = 0; shift < 35; shift += 7) {
            if (position[0] >= in.length) {
                throw new IllegalArgumentException("entropy-coded tokens end inside their length");
            }
            int b = in[position[0]++] & 0xff;
            v |= (b & 0x7f) << shift;
            if ((b & 0x80) == 0) {
                return v;
            }
        }
        throw new IllegalArgumentException("entropy-coded token length is malformed");
    }

    public void write(DataOutputStream out) throws IOException {
        out.writeInt(MAGIC);
        out.writeInt(blockSide);
        out.writeInt(resolution);
        out.writeDouble(fsq.range());
        int[] levels = fsq.levels();
        out.writeInt(levels.length);
        for (int l : levels) {
            out.writeInt(l);
        }
        basis.write(out);
    }

    public static PrefixCodec read(DataInputStream in) throws IOException {
        if (in.readInt() != MAGIC) {
            throw new IOException("not a prefix-codec model");
        }
        int side = in.readInt();
        int resolution = in.readInt();
        double range = in.readDouble();
        int[] levels = new int[in.readInt()];
        for (int i = 0; i < levels.length; i++) {
            levels[i] = in.readInt();
        }
        return new PrefixCodec(OrderedBasis.read(in), side, resolution, new Fsq(levels, range));
    }
}
