package io.tokenlab.plugin.prune.globalcom2;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.TechniqueException;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.compute.TopK;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.plugin.prune.common.TokenChecks;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

import java.util.Arrays;

/**
 * GlobalCom² (Liu et al., 2025, "Compression with Global Guidance: Towards Training-free
 * High-Resolution MLLMs Acceleration"): the thumbnail of a high-resolution image decides how many
 * tokens each crop keeps, and guides which ones.
 *
 * <p>Token layout: the thumbnail's side x side tokens first, then each crop's side x side tokens,
 * crops in raster order of a cropRows x cropCols layout; the grid shape, when given, is
 * ((1 + crops) * side) x side. Scores are the ViT's [CLS]-to-patch attention logits (head mean,
 * before softmax); without scores the token's feature norm stands in as a saliency proxy, and the
 * run says so.
 *
 * <p>With r = keep / N as the base ratio: the thumbnail keeps its top r of tokens, crop i keeps
 * N_i * base * (1 + softmax(S / tau)_i - 1/n) (clipped to the crop), where S_i sums the thumbnail
 * scores over crop i's region, and inside a crop the score is the L2-normalised local score plus the
 * L2-normalised bilinear upsample of the thumbnail scores over the crop. Rounding is settled by largest
 * remainder so that exactly {@code keep} tokens come back.
 */
@Component(property = {
        "tokenlab.technique=prune/globalcom2",
        "tokenlab.description=GlobalCom2 (Liu et al. 2025): thumbnail-guided budgets for high-resolution crops "
                + "(retention base*(1 + softmax(S/tau) - 1/n), base = keep ratio, tau 10), then top-k inside each crop "
                + "by local plus upsampled thumbnail score. Needs: features of the thumbnail tokens then each crop's "
                + "tokens (all side x side, crops in raster order of crop.rows x crop.cols) and scores = [CLS] "
                + "attention logits; without scores the feature norm is used as a saliency proxy."})
@Designate(ocd = GlobalCom2Technique.Config.class)
public final class GlobalCom2Technique implements PruneTechnique {

    @ObjectClassDefinition(name = "prune/globalcom2", description = "Thumbnail-guided pruning of high-resolution crops.")
    public @interface Config {
        @AttributeDefinition(name = "keep.ratio", description = "Fraction of all tokens to keep, in (0, 1]: GlobalCom2's "
                + "base retention 0.25.", min = "0.0001", max = "1")
        double keep_ratio() default 0.25;

        @AttributeDefinition(description = "Rows of the crop layout of the high-resolution image.", min = "1")
        int crop_rows() default 2;

        @AttributeDefinition(description = "Columns of the crop layout of the high-resolution image.", min = "1")
        int crop_cols() default 2;

        @AttributeDefinition(description = "Softmax temperature tau over the crops' thumbnail saliency.", min = "0.000001")
        double temperature() default 10.0;
    }

    @Override
    public int[] select(TokenSet tokens, int keep, Parameters parameters, RunContext context) {
        TokenChecks.check(tokens, keep, parameters);
        Config config = parameters.as(Config.class);
        if (keep == 0) {
            return new int[0];
        }
        int crops = config.crop_rows() * config.crop_cols();
        int n = tokens.size();
        int side = tileSide(tokens, crops);
        int tile = side * side;
        Compute compute = context.compute();
        float[] scores = tokens.scores();
        if (scores == null) {
            scores = compute.rowNorms(tokens.features());
            context.note("no [CLS] attention scores given: feature norms stand in as saliency (a proxy, not the paper's)");
        }
        for (int i = 0; i < n; i++) {
            if (!Float.isFinite(scores[i])) {
                throw new TechniqueException("score " + i + " is " + scores[i] + "; scores must be finite");
            }
        }
        float[] thumbnail = Arrays.copyOf(scores, tile);
        ThumbnailGuide guide = new ThumbnailGuide(thumbnail, side, config.crop_rows(), config.crop_cols());
        float[] saliency = new float[crops];
        for (int i = 0; i < crops; i++) {
            saliency[i] = guide.regionSum(i);
        }
        double base = (double) keep / n;
        double[] retention = CropBudgets.retention(saliency, base, config.temperature(), compute);
        double[] targets = new double[crops + 1];
        targets[0] = base * tile;
        for (int i = 0; i < crops; i++) {
            targets[i + 1] = retention[i] * tile;
        }
        int[] counts = apportion(targets, tile, keep);

        int[] kept = new int[keep];
        int filled = topIndices(thumbnail, counts[0], 0, kept, 0, compute);
        for (int i = 0; i < crops; i++) {
            float[] local = l2Normalised(Arrays.copyOfRange(scores, (i + 1) * tile, (i + 2) * tile));
            float[] global = l2Normalised(guide.upsampledOver(i));
            for (int t = 0; t < tile; t++) {
                local[t] += global[t];
            }
            filled = topIndices(local, counts[i + 1], (i + 1) * tile, kept, filled, compute);
        }
        Arrays.sort(kept);
        context.note("thumbnail keeps " + counts[0] + ", crops keep " + Arrays.toString(Arrays.copyOfRange(counts, 1,
                counts.length)) + " of " + tile + " each");
        return kept;
    }

    /**
     * Integer counts that sum to {@code total}, each at most {@code capacity}: floors of the targets,
     * then one more to the largest remainders; what clipping left over goes to parts with room.
     */
    static int[] apportion(double[] targets, int capacity, int total) {
        int parts = targets.length;
        int[] counts = new int[parts];
        int placed = 0;
        for (int p = 0; p < parts; p++) {
            counts[p] = (int) Math.min(capacity, Math.floor(targets[p]));
            placed += counts[p];
        }
        Integer[] order = new Integer[parts];
        for (int p = 0; p < parts; p++) {
            order[p] = p;
        }
        // largest fractional part first; a stable sort keeps the thumbnail, then raster order, on ties
        Arrays.sort(order, (a, b) -> Double.compare(targets[b] - Math.floor(targets[b]), targets[a] - Math.floor(targets[a])));
        while (placed < total) {
            boolean any = false;
            for (int p : order) {
                if (placed < total && counts[p] < capacity) {
                    counts[p]++;
                    placed++;
                    any = true;
                }
            }
            if (!any) {
                throw new IllegalStateException("cannot place " + total + " tokens in " + parts + " x " + capacity);
            }
        }
        return counts;
    }

    private static int topIndices(float[] scores, int count, int offset, int[] out, int from, Compute compute) {
        if (count == 0) {
            return from;
        }
        TopK top = compute.topK(FloatMatrix.row(scores), count);
        for (int r = 0; r < count; r++) {
            out[from + r] = offset + top.index(0, r);
        }
        return from + count;
    }

    private static float[] l2Normalised(float[] v) {
        double s = 0;
        for (float x : v) {
            s += (double) x * x;
        }
        float inv = s == 0 ? 0f : (float) (1 / Math.sqrt(s));
        for (int i = 0; i < v.length; i++) {
            v[i] *= inv;
        }
        return v;
    }

    /** The side of each tile (thumbnail and crops), from the grid shape or from N = (1 + crops) * side^2. */
    static int tileSide(TokenSet tokens, int crops) {
        int n = tokens.size();
        int images = crops + 1;
        if (tokens.gridCols() > 0) {
            int side = tokens.gridCols();
            if (tokens.gridRows() != images * side) {
                throw new TechniqueException("grid " + tokens.gridRows() + "x" + tokens.gridCols() + " is not a thumbnail "
                        + "and " + crops + " crops of " + side + "x" + side + " stacked (" + images * side + "x" + side + ")");
            }
            return side;
        }
        int side = (int) Math.round(Math.sqrt((double) n / images));
        if (side < 1 || images * side * side != n) {
            throw new TechniqueException(n + " tokens do not split into a thumbnail and " + crops + " crops of equal "
                    + "square grids; set crop.rows/crop.cols or give the grid shape");
        }
        return side;
    }
}
