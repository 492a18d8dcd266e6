package io.tokenlab.plugin.prune.globalcom2;

/**
 * Where each crop lies on the thumbnail, and the thumbnail's saliency seen from a crop. The
 * high-resolution image is cut into cropRows x cropCols crops; the thumbnail (side x side tokens)
 * shows the whole image, so crop (r, c) corresponds to thumbnail rows [r * side / cropRows,
 * (r + 1) * side / cropRows) and the matching columns, in continuous coordinates.
 */
final class ThumbnailGuide {
    private final float[] thumbnail;
    private final int side;
    private final int cropRows;
    private final int cropCols;

    ThumbnailGuide(float[] thumbnailScores, int side, int cropRows, int cropCols) {
        this.thumbnail = thumbnailScores;
        this.side = side;
        this.cropRows = cropRows;
        this.cropCols = cropCols;
    }

    /** S_i: the sum of thumbnail scores over the cells whose centres fall inside crop i's region. */
    float regionSum(int crop) {
        int r = crop / cropCols;
        int c = crop % cropCols;
        double sum = 0;
        for (int y = 0; y < side; y++) {
            for (int x = 0; x < side; x++) {
                double cy = (y + 0.5) * cropRows / side;
                double cx = (x + 0.5) * cropCols / side;
                if ((int) cy == r && (int) cx == c) {
                    sum += thumbnail[y * side + x];
                }
            }
        }
        return (float) sum;
    }

    /**
     * The thumbnail score map over crop i's region, bilinearly resampled to the crop's side x side
     * tokens (sample points at token centres, as {@code interpolate(mode="bilinear",
     * align_corners=False)} places them; edges clamp).
     */
    float[] upsampledOver(int crop) {
        int r = crop / cropCols;
        int c = crop % cropCols;
        float[] out = new float[side * side];
        double regionHeight = (double) side / cropRows;
        double regionWidth = (double) side / cropCols;
        for (int y = 0; y < side; y++) {
            double sy = r * regionHeight + (y + 0.5) * regionHeight / side - 0.5;
            for (int x = 0; x < side; x++) {
                double sx = c * regionWidth + (x + 0.5) * regionWidth / side - 0.5;
                out[y * side + x] = (float) bilinear(sy, sx);
            }
        }
        return out;
    }

    private double bilinear(double y, double x) {
        double cy = Math.max(0, Math.min(side - 1, y));
        double cx = Math.max(0, Math.min(side - 1, x));
        int y0 = (int) Math.floor(cy);
        int x0 = (int) Math.floor(cx);
        int y1 = Math.min(side - 1, y0 + 1);
        int x1 = Math.min(side - 1, x0 + 1);
        double fy = cy - y0;
        double fx = cx - x0;
        return (1 - fy) * ((1 - fx) * thumbnail[y0 * side + x0] + fx * thumbnail[y0 * side + x1])
                + fy * ((1 - fx) * thumbnail[y1 * side + x0] + fx * thumbnail[y1 * side + x1]);
    }
}
