package io.tokenlab.plugin.image.karl;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.RunContext;
import io.tokenlab.api.compute.Compute;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageTechnique;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.api.testkit.ImageConformance;
import io.tokenlab.api.testkit.KitContext;
import io.tokenlab.plugin.image.common.ImageFiles;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.PrefixCodec;
import io.tokenlab.plugin.image.common.Statistics;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import io.tokenlab.runtime.compute.vector.VectorCompute;
import io.tokenlab.runtime.data.FileCatalog;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.assertj.core.api.Assertions.assertThat;

class KarlTechniqueTest extends ImageConformance {
    static final Compute COMPUTE = new VectorCompute(2);
    static final RunContext CONTEXT = new KitContext(COMPUTE, new FileCatalog(FileCatalog.defaultDataDirectory()), Map.of());
    static final int RESOLUTION = 128;
    private static Map<String, FloatImage> heldOut;

    static Parameters small(double targetPsnr) {
        return Parameters.of(Map.of("target.psnr", targetPsnr, "resolution", RESOLUTION, "block", 8,
                "components", 96, "training.samples", 6000, "seed", 1));
    }

    static synchronized Map<String, FloatImage> heldOut() throws IOException {
        if (heldOut == null) {
            heldOut = new LinkedHashMap<>();
            for (Path p : ImageFiles.photosIn(CONTEXT.data().fetch(TrainingPhotos.HELD_OUT_SET))) {
                String name = p.getFileName().toString();
                heldOut.put(name.substring(0, name.indexOf('.')), ImageOps.rgb(ImageFiles.read(p)));
            }
        }
        return heldOut;
    }

    @Override
    protected ImageTechnique technique() {
        return new KarlTechnique();
    }

    @Override
    protected Parameters validParameters() {
        return small(26);
    }

    @Override
    protected RunContext context() {
        return CONTEXT;
    }

    @Override
    protected FloatImage image() {
        try {
            return heldOut().get("astronaut");
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void keepsTheShortestPrefixThatReachesTheTarget() throws IOException {
        KarlTechnique.AdaptiveCodec codec = (KarlTechnique.AdaptiveCodec) technique().open(small(27), CONTEXT);
        for (String name : List.of("astronaut", "coffee", "grass", "moon")) {
            FloatImage photo = heldOut().get(name);
            ImageTokens tokens = codec.encode(photo);
            int k = tokens.tokens().length;
            PrefixCodec.Encoded all = codec.model().encode(COMPUTE, photo);
            if (k < all.tokens().length) {
                assertThat(codec.workingPsnr(photo, tokens)).as(name).isGreaterThanOrEqualTo(27.0);
            }
            if (k > 1) {
                ImageTokens shorter = new ImageTokens(java.util.Arrays.copyOf(tokens.tokens(), k - 1), 0, 0, 16,
                        tokens.sideInformation());
                // one token less misses the target by the exact error curve (before clamping to [0, 1])
                assertThat(all.mseAfter(k - 1)).as(name).isGreaterThan(Math.pow(10, -2.7));
                assertThat(codec.decode(shorter).width()).isEqualTo(photo.width());
            }
        }
    }

    @Test
    void tokensGrowWithTheTargetAndWithImageComplexity() throws IOException {
        Map<String, int[]> used = new LinkedHashMap<>();
        double[] targets = {20, 23, 26};
        for (int t = 0; t < targets.length; t++) {
            KarlTechnique.AdaptiveCodec codec = (KarlTechnique.AdaptiveCodec) technique().open(small(targets[t]), CONTEXT);
            for (Map.Entry<String, FloatImage> e : heldOut().entrySet()) {
                used.computeIfAbsent(e.getKey(), k -> new int[targets.length])[t] = codec.encode(e.getValue()).tokens().length;
            }
        }
        List<String> names = new ArrayList<>(used.keySet());
        double[] pngBytes = new double[names.size()];
        double[] tokens23 = new double[names.size()];
        StringBuilder report = new StringBuilder("KARL tokens used at 20 / 23 / 26 dB (" + RESOLUTION + "px working "
                + "resolution) vs PNG bytes of the working view:\n");
        for (int i = 0; i < names.size(); i++) {
            FloatImage view = TrainingPhotos.workingView(heldOut().get(names.get(i)), RESOLUTION);
            pngBytes[i] = ImageFiles.png(view).length;
            int[] u = used.get(names.get(i));
            tokens23[i] = u[1];
            assertThat(u[0]).as(names.get(i)).isLessThanOrEqualTo(u[1]);
            assertThat(u[1]).as(names.get(i)).isLessThanOrEqualTo(u[2]);
            report.append(String.format("  %-18s %6d %6d %6d   png %7.0f%n", names.get(i), u[0], u[1], u[2], pngBytes[i]));
        }
        double rho = Statistics.spearman(tokens23, pngBytes);
        for (int t = 0; t < targets.length; t++) {
            double[] atTarget = new double[names.size()];
            for (int i = 0; i < names.size(); i++) {
                atTarget[i] = used.get(names.get(i))[t];
            }
            report.append(String.format("Spearman(tokens at %.0f dB, PNG bytes) = %.3f over %d held-out images%n",
                    targets[t], Statistics.spearman(atTarget, pngBytes), names.size()));
        }
        System.out.print(report);
        // measured 0.29 at 23 dB: positive but weak (see the printed table; the PNG size also counts noise
        // and colour that an absolute PSNR target does not weigh)
        assertThat(rho).isGreaterThan(0.0);
        Set<String> textures = Set.of("grass", "gravel", "brick");
        int minTexture = textures.stream().mapToInt(n -> used.get(n)[1]).min().orElseThrow();
        // the smooth photo of the set; low-contrast textures (brick) are cheap at an absolute error target,
        // so the comparison is with the smoothest image, not with every photo
        assertThat(minTexture).as("textures above the smooth moon").isGreaterThan(used.get("moon")[1]);
    }
}
