package io.tokenlab.benchmarks.prune;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.compute.FloatMatrix;
import io.tokenlab.api.prune.PruneTechnique;
import io.tokenlab.api.prune.TokenSet;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.plugin.prune.dhsa.DhsaTechnique;
import io.tokenlab.plugin.prune.divprune.DivPruneTechnique;
import io.tokenlab.plugin.prune.globalcom2.GlobalCom2Technique;
import io.tokenlab.plugin.prune.m3.M3PoolingTechnique;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The criterion-neutral coverage report: each criterion keeps the same number of tokens of the same
 * photo, and the kept set is judged by how well it covers the dropped tokens — the k-center radius
 * (the farthest any dropped token is from its nearest kept one) and the mean of those nearest
 * distances — in Euclidean distance on the patch features (no criterion optimises it) and in cosine
 * distance (DivPrune's own). Lower is better coverage. TransPrune is absent: it needs the layer states
 * of a language model, which photos alone do not give.
 */
class PruneCoverageReportTest {
    private static final VectorCompute COMPUTE = new VectorCompute();
    private static final List<String> PHOTOS = List.of("astronaut.png", "coffee.png", "chelsea.png", "rocket.jpg",
            "camera.png");
    private static final double RATIO = 0.0625;

    @AfterAll
    static void close() {
        COMPUTE.close();
    }

    record Coverage(double radius, double mean, double cosineRadius, double cosineMean) {
        Coverage plus(Coverage o) {
            return new Coverage(radius + o.radius, mean + o.mean, cosineRadius + o.cosineRadius, cosineMean + o.cosineMean);
        }

        Coverage over(double n) {
            return new Coverage(radius / n, mean / n, cosineRadius / n, cosineMean / n);
        }
    }

    @Test
    void coverageOfEveryCriterionOnRealPhotos() throws Exception {
        Path images = PhotoPatches.skimageData(Path.of(System.getProperty("tokenlab.data", "data")));
        KitContext context = new KitContext(COMPUTE);
        Map<String, Coverage> grid = new LinkedHashMap<>();
        Map<String, Coverage> highRes = new LinkedHashMap<>();
        for (String photo : PHOTOS) {
            BufferedImage image = ImageIO.read(images.resolve(photo).toFile());
            // LLaVA-1.5's layout: one 384 x 384 view, 24 x 24 tokens
            FloatMatrix tokens = PhotoPatches.features(image, 0, 0, image.getWidth(), image.getHeight(), 24);
            TokenSet set = new TokenSet(tokens, null, 24, 24, null, null, null);
            int keep = (int) Math.round(RATIO * set.size());
            Map<String, Function<TokenSet, int[]>> criteria = new LinkedHashMap<>();
            criteria.put("prune/divprune", s -> run(new DivPruneTechnique(), s, keep, Map.of(), context));
            criteria.put("prune/m3 nested", s -> run(new M3PoolingTechnique(), s, keep, Map.of("pooling", "nested"), context));
            criteria.put("prune/m3 adaptive (TokenFLEX)", s -> run(new M3PoolingTechnique(), s, keep,
                    Map.of("pooling", "adaptive"), context));
            criteria.put("prune/dhsa", s -> run(new DhsaTechnique(), s, keep, Map.of("block.size", 64), context));
            criteria.put("top feature norm", s -> topNorm(s.features(), keep));
            criteria.put("random (mean of 10)", null);
            for (var c : criteria.entrySet()) {
                Coverage cov = c.getValue() == null ? randomCoverage(tokens, keep, 10)
                        : coverage(tokens, c.getValue().apply(set));
                grid.merge(c.getKey(), cov, Coverage::plus);
            }
            // GlobalCom2's layout: a 24 x 24 thumbnail and 2 x 2 crops of 24 x 24 each, 2880 tokens
            FloatMatrix stacked = stack(PhotoPatches.features(image, 0, 0, image.getWidth(), image.getHeight(), 24),
                    quarter(image, 0, 0), quarter(image, 1, 0), quarter(image, 0, 1), quarter(image, 1, 1));
            TokenSet hr = new TokenSet(stacked, null, 5 * 24, 24, null, null, null);
            int hrKeep = (int) Math.round(RATIO * hr.size());
            highRes.merge("prune/globalcom2 (norm saliency)", coverage(stacked, run(new GlobalCom2Technique(), hr, hrKeep,
                    Map.of("crop.rows", 2, "crop.cols", 2), context)), Coverage::plus);
            highRes.merge("prune/divprune", coverage(stacked, run(new DivPruneTechnique(), hr, hrKeep, Map.of(), context)),
                    Coverage::plus);
            highRes.merge("top feature norm", coverage(stacked, topNorm(stacked, hrKeep)), Coverage::plus);
            highRes.merge("random (mean of 10)", randomCoverage(stacked, hrKeep, 10), Coverage::plus);
        }
        print("576 tokens (24x24 of a 384x384 view), keep " + Math.round(RATIO * 576), grid);
        print("2880 tokens (thumbnail + 2x2 crops, each 24x24), keep " + Math.round(RATIO * 2880), highRes);
        System.out.println("TransPrune: not measured (needs a language model's per-layer states; photos give none)");

        double n = PHOTOS.size();
        Coverage divprune = grid.get("prune/divprune").over(n);
        Coverage random = grid.get("random (mean of 10)").over(n);
        assertThat(divprune.cosineRadius()).isLessThan(random.cosineRadius());
        assertThat(highRes.get("prune/divprune").cosineRadius).isLessThan(highRes.get("random (mean of 10)").cosineRadius);
    }

    @Test
    void divPruneCoverageRadiusFallsAsItKeepsMore() throws Exception {
        Path images = PhotoPatches.skimageData(Path.of(System.getProperty("tokenlab.data", "data")));
        FloatMatrix tokens = PhotoPatches.features(images.resolve("astronaut.png"), 24);
        double previous = Double.POSITIVE_INFINITY;
        StringBuilder line = new StringBuilder("DivPrune cosine k-center radius on astronaut.png by tokens kept:");
        for (int keep : new int[] {9, 18, 36, 72, 144, 288}) {
            double radius = coverage(tokens, run(new DivPruneTechnique(), TokenSet.of(tokens), keep, Map.of(),
                    new KitContext(COMPUTE))).cosineRadius();
            line.append(String.format(" %d: %.4f", keep, radius));
            assertThat(radius).as("keep %d", keep).isLessThanOrEqualTo(previous);
            previous = radius;
        }
        System.out.println(line);
    }

    private static int[] run(PruneTechnique t, TokenSet set, int keep, Map<String, Object> params, KitContext context) {
        Map<String, Object> all = new LinkedHashMap<>(params);
        all.put("keep.ratio", RATIO);
        return t.select(set, keep, Parameters.of(all), context);
    }

    private static FloatMatrix quarter(BufferedImage image, int col, int row) {
        int w = image.getWidth() / 2;
        int h = image.getHeight() / 2;
        return PhotoPatches.features(image, col * w, row * h, w, h, 24);
    }

    private static FloatMatrix stack(FloatMatrix... parts) {
        int d = parts[0].cols();
        int rows = Arrays.stream(parts).mapToInt(FloatMatrix::rows).sum();
        float[] out = new float[rows * d];
        int at = 0;
        for (FloatMatrix p : parts) {
            System.arraycopy(p.data(), 0, out, at, p.data().length);
            at += p.data().length;
        }
        return new FloatMatrix(rows, d, out);
    }

    private static int[] topNorm(FloatMatrix features, int keep) {
        float[] norms = COMPUTE.rowNorms(features);
        int[] top = COMPUTE.topK(FloatMatrix.row(norms), keep).indices().clone();
        Arrays.sort(top);
        return top;
    }

    private static Coverage randomCoverage(FloatMatrix features, int keep, int trials) {
        Random r = new Random(7);
        Coverage sum = new Coverage(0, 0, 0, 0);
        for (int t = 0; t < trials; t++) {
            int[] all = java.util.stream.IntStream.range(0, features.rows()).toArray();
            for (int i = 0; i < keep; i++) {
                int j = i + r.nextInt(all.length - i);
                int x = all[i];
                all[i] = all[j];
                all[j] = x;
            }
            sum = sum.plus(coverage(features, Arrays.copyOf(all, keep)));
        }
        return sum.over(trials);
    }

    /** Radius and mean of each dropped token's distance to its nearest kept token, Euclidean and cosine. */
    static Coverage coverage(FloatMatrix features, int[] kept) {
        Compute c = COMPUTE;
        FloatMatrix keptFeatures = features.selectRows(kept);
        float[] squared = c.squaredDistances(features, keptFeatures).data();
        float[] cos = c.cosineSimilarity(features, keptFeatures).data();
        boolean[] isKept = new boolean[features.rows()];
        for (int k : kept) {
            isKept[k] = true;
        }
        double radius = 0, mean = 0, cosRadius = 0, cosMean = 0;
        int dropped = 0;
        for (int i = 0; i < features.rows(); i++) {
            if (isKept[i]) {
                continue;
            }
            double nearest = Double.POSITIVE_INFINITY;
            double nearestCos = Double.POSITIVE_INFINITY;
            for (int j = 0; j < kept.length; j++) {
                nearest = Math.min(nearest, Math.sqrt(squared[i * kept.length + j]));
                nearestCos = Math.min(nearestCos, 1 - cos[i * kept.length + j]);
            }
            radius = Math.max(radius, nearest);
            cosRadius = Math.max(cosRadius, nearestCos);
            mean += nearest;
            cosMean += nearestCos;
            dropped++;
        }
        return new Coverage(radius, mean / dropped, cosRadius, cosMean / dropped);
    }

    private static void print(String title, Map<String, Coverage> rows) {
        double n = PHOTOS.size();
        System.out.println();
        System.out.println("Coverage, " + title + ", mean over " + String.join(", ", PHOTOS) + " (lower is better)");
        System.out.printf("%-34s %12s %12s %14s %14s%n", "criterion", "L2 radius", "L2 mean", "cos radius", "cos mean");
        rows.forEach((name, total) -> {
            Coverage c = total.over(n);
            System.out.printf("%-34s %12.4f %12.4f %14.4f %14.4f%n", name, c.radius(), c.mean(), c.cosineRadius(),
                    c.cosineMean());
        });
    }
}
