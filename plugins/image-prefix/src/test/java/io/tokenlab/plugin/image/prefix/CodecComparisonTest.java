package io.tokenlab.plugin.image.prefix;

import io.tokenlab.api.Parameters;
import io.tokenlab.api.image.FloatImage;
import io.tokenlab.api.image.ImageTokens;
import io.tokenlab.plugin.image.common.ImageFiles;
import io.tokenlab.plugin.image.common.ImageOps;
import io.tokenlab.plugin.image.common.ImageQuality;
import io.tokenlab.plugin.image.common.RateDistortionPlot;
import io.tokenlab.plugin.image.common.TrainingPhotos;
import org.junit.jupiter.api.Test;

import javax.imageio.IIOImage;
import javax.imageio.ImageIO;
import javax.imageio.ImageWriteParam;
import javax.imageio.ImageWriter;
import javax.imageio.stream.ImageOutputStream;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import static io.tokenlab.plugin.image.prefix.PrefixTestSupport.COMPUTE;
import static io.tokenlab.plugin.image.prefix.PrefixTestSupport.CONTEXT;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The acceptance comparison: the default image/prefix model against JPEG and WebP on held-out photos
 * at 256 x 256, as bytes at equal PSNR and at equal SSIM, with rate-distortion plots. JPEG is also run
 * on the photo downscaled to 128 x 128 and upsampled for scoring, which is how a classical codec
 * reaches the byte range below its ~1.8 KB floor. Writes target/codec-comparison/{table.txt,
 * rd-psnr.png, rd-ssim.png} and prints the table.
 */
class CodecComparisonTest {
    private static final List<String> PHOTOS = List.of("astronaut", "chelsea", "coffee", "rocket", "motorcycle_left",
            "ihc", "hubble_deep_field", "retina");
    private static final int[] PREFIX_LENGTHS = {64, 128, 256, 512, 1024, 2048, 4096, 8192, 16384};
    private static final int[] JPEG_QUALITIES = {1, 3, 5, 10, 20, 30, 50, 75, 90};
    private static final int[] WEBP_QUALITIES = {0, 5, 10, 25, 50, 75, 90};
    private static final double[] PSNR_TARGETS = {20, 22, 24, 26, 28, 30};
    private static final double[] SSIM_TARGETS = {0.5, 0.6, 0.7, 0.8, 0.9};

    /** One codec setting on one photo. */
    record Point(double bytes, double psnr, double ssim) {
    }

    @Test
    void comparesWithJpegAndWebpAtEqualQuality() throws IOException {
        PrefixImageCodec codec = (PrefixImageCodec) new PrefixTechnique().open(Parameters.of(Map.of("tokens", 1 << 20)), CONTEXT);
        Path dir = CONTEXT.data().fetch(TrainingPhotos.HELD_OUT_SET);
        Map<String, List<List<Point>>> curves = new LinkedHashMap<>();
        for (String name : List.of("tokenlab prefix (entropy-coded)", "tokenlab prefix (raw 16-bit tokens)", "JPEG",
                "JPEG of 128px, upsampled", "WebP")) {
            curves.put(name, new ArrayList<>());
        }
        for (String photoName : PHOTOS) {
            Path file;
            try (var files = Files.list(dir)) {
                file = files.filter(p -> p.getFileName().toString().startsWith(photoName + ".")).findFirst().orElseThrow();
            }
            FloatImage photo = ImageFiles.quantizeTo8Bit(ImageOps.resize(ImageOps.centerSquare(ImageOps.rgb(ImageFiles.read(file))), 256, 256));
            ImageTokens all = codec.encode(photo);
            List<Point> entropy = new ArrayList<>();
            List<Point> raw = new ArrayList<>();
            for (int length : PREFIX_LENGTHS) {
                int[] prefix = Arrays.copyOf(all.tokens(), Math.min(length, all.tokens().length));
                FloatImage recon = ImageFiles.quantizeTo8Bit(codec.model().decode(COMPUTE, prefix, 256, 256));
                double psnr = ImageQuality.psnr(photo, recon);
                double ssim = ImageQuality.ssim(photo, recon);
                int side = PrefixImageCodec.SIDE_INFORMATION_BYTES;
                entropy.add(new Point(codec.model().entropyCode(prefix, 256, 256).length + side, psnr, ssim));
                raw.add(new Point(prefix.length * 2.0 + side, psnr, ssim));
            }
            for (int i = 1; i < entropy.size(); i++) {
                assertThat(entropy.get(i).psnr()).as(photoName).isGreaterThanOrEqualTo(entropy.get(i - 1).psnr() - 0.05);
            }
            curves.get("tokenlab prefix (entropy-coded)").add(entropy);
            curves.get("tokenlab prefix (raw 16-bit tokens)").add(raw);
            BufferedImage buffered = ImageFiles.toBuffered(photo);
            List<Point> jpeg = new ArrayList<>();
            List<Point> jpegHalf = new ArrayList<>();
            for (int q : JPEG_QUALITIES) {
                jpeg.add(score(photo, write(buffered, "jpeg", q / 100f), 256));
                BufferedImage half = ImageFiles.toBuffered(ImageOps.resize(photo, 128, 128));
                jpegHalf.add(score(photo, write(half, "jpeg", q / 100f), 256));
            }
            curves.get("JPEG").add(jpeg);
            curves.get("JPEG of 128px, upsampled").add(jpegHalf);
            List<Point> webp = new ArrayList<>();
            for (int q : WEBP_QUALITIES) {
                webp.add(score(photo, write(buffered, "webp", q / 100f), 256));
            }
            curves.get("WebP").add(webp);
        }
        StringBuilder table = new StringBuilder();
        table.append(String.format(Locale.ROOT, "Held-out photos (%d, centre square resized to 256x256): %s%n",
                PHOTOS.size(), PHOTOS));
        table.append("tokenlab image/prefix default model, mean over photos per prefix length:\n");
        table.append("  tokens  raw-bytes  entropy-bytes   PSNR dB   SSIM\n");
        for (int i = 0; i < PREFIX_LENGTHS.length; i++) {
            int idx = i;
            table.append(String.format(Locale.ROOT, "  %6d  %9.0f  %13.0f  %8.2f  %6.4f%n", PREFIX_LENGTHS[i],
                    mean(curves.get("tokenlab prefix (raw 16-bit tokens)"), idx, Point::bytes),
                    mean(curves.get("tokenlab prefix (entropy-coded)"), idx, Point::bytes),
                    mean(curves.get("tokenlab prefix (entropy-coded)"), idx, Point::psnr),
                    mean(curves.get("tokenlab prefix (entropy-coded)"), idx, Point::ssim)));
        }
        table.append(String.format(Locale.ROOT, "Smallest files: JPEG q=1 %.0f B mean, WebP q=0 %.0f B mean%n",
                mean(curves.get("JPEG"), 0, Point::bytes), mean(curves.get("WebP"), 0, Point::bytes)));
        table.append(equalQualityTable("PSNR dB", PSNR_TARGETS, curves, Point::psnr));
        table.append(equalQualityTable("SSIM", SSIM_TARGETS, curves, Point::ssim));
        Path out = Path.of("target", "codec-comparison");
        Files.createDirectories(out);
        Files.writeString(out.resolve("table.txt"), table);
        System.out.print(table);
        RateDistortionPlot psnrPlot = new RateDistortionPlot("Held-out photos 256x256: PSNR vs bytes (mean over photos)", "PSNR dB");
        RateDistortionPlot ssimPlot = new RateDistortionPlot("Held-out photos 256x256: SSIM vs bytes (mean over photos)", "SSIM");
        for (Map.Entry<String, List<List<Point>>> e : curves.entrySet()) {
            int settings = e.getValue().get(0).size();
            for (int i = 0; i < settings; i++) {
                psnrPlot.add(e.getKey(), mean(e.getValue(), i, Point::bytes), mean(e.getValue(), i, Point::psnr));
                ssimPlot.add(e.getKey(), mean(e.getValue(), i, Point::bytes), mean(e.getValue(), i, Point::ssim));
            }
        }
        psnrPlot.write(out.resolve("rd-psnr.png"));
        ssimPlot.write(out.resolve("rd-ssim.png"));
        assertThat(out.resolve("rd-psnr.png")).isNotEmptyFile();
        // JPEG has a byte floor the token sequence goes far below
        assertThat(mean(curves.get("tokenlab prefix (entropy-coded)"), 0, Point::bytes))
                .isLessThan(mean(curves.get("JPEG"), 0, Point::bytes));
    }

    private interface Metric {
        double of(Point p);
    }

    private static double mean(List<List<Point>> perPhoto, int setting, Metric m) {
        return perPhoto.stream().mapToDouble(c -> m.of(c.get(setting))).average().orElse(Double.NaN);
    }

    /** Median bytes each codec needs to reach each target, with how many photos it reached it on. */
    private static String equalQualityTable(String metricName, double[] targets, Map<String, List<List<Point>>> curves,
                                            Metric metric) {
        StringBuilder sb = new StringBuilder(String.format(Locale.ROOT,
                "Bytes at equal %s (median over the photos that reach the target; n/a: below the codec's range on "
                        + "every photo; [k/n] photos reached)%n", metricName));
        sb.append(String.format(Locale.ROOT, "  %-10s", "target"));
        for (String codec : curves.keySet()) {
            sb.append(String.format(Locale.ROOT, " | %-36s", codec));
        }
        sb.append('\n');
        for (double target : targets) {
            sb.append(String.format(Locale.ROOT, "  %-10s", metricName.startsWith("SSIM") ? String.format("%.2f", target)
                    : String.format("%.0f", target)));
            for (List<List<Point>> perPhoto : curves.values()) {
                List<Double> bytes = new ArrayList<>();
                int floorMisses = 0;
                for (List<Point> curve : perPhoto) {
                    double b = bytesAt(curve, target, metric);
                    if (b == -1) {
                        floorMisses++;
                    } else if (!Double.isNaN(b)) {
                        bytes.add(b);
                    }
                }
                String cell;
                if (bytes.isEmpty()) {
                    cell = floorMisses == perPhoto.size() ? "n/a (floor above target)" : "n/a (not reached)";
                } else {
                    bytes.sort(Double::compare);
                    cell = String.format(Locale.ROOT, "%.0f B [%d/%d]", bytes.get(bytes.size() / 2), bytes.size(), perPhoto.size());
                }
                sb.append(String.format(Locale.ROOT, " | %-36s", cell));
            }
            sb.append('\n');
        }
        return sb.toString();
    }

    /**
     * Bytes at which the curve reaches the target, interpolating log-bytes linearly; -1 when even the
     * smallest setting is above the target, NaN when the largest is below it.
     */
    private static double bytesAt(List<Point> curve, double target, Metric metric) {
        List<Point> sorted = new ArrayList<>(curve);
        sorted.sort((a, b) -> Double.compare(a.bytes(), b.bytes()));
        if (metric.of(sorted.get(0)) >= target) {
            return -1;
        }
        for (int i = 1; i < sorted.size(); i++) {
            Point a = sorted.get(i - 1);
            Point b = sorted.get(i);
            if (metric.of(a) < target && metric.of(b) >= target) {
                double t = (target - metric.of(a)) / (metric.of(b) - metric.of(a));
                return Math.exp(Math.log(a.bytes()) + t * (Math.log(b.bytes()) - Math.log(a.bytes())));
            }
        }
        return Double.NaN;
    }

    private static Point score(FloatImage original, byte[] encoded, int side) throws IOException {
        FloatImage decoded = ImageFiles.fromBuffered(ImageIO.read(new ByteArrayInputStream(encoded)));
        if (decoded.width() != side) {
            decoded = ImageFiles.quantizeTo8Bit(ImageOps.resize(decoded, side, side));
        }
        return new Point(encoded.length, ImageQuality.psnr(original, decoded), ImageQuality.ssim(original, decoded));
    }

    private static byte[] write(BufferedImage image, String format, float quality) throws IOException {
        ImageWriter writer = ImageIO.getImageWritersByFormatName(format).next();
        ImageWriteParam param = writer.getDefaultWriteParam();
        param.setCompressionMode(ImageWriteParam.MODE_EXPLICIT);
        String[] types = param.getCompressionTypes();
        if (types != null) {
            String lossy = Arrays.stream(types).filter(t -> t.toLowerCase(Locale.ROOT).contains("lossy")).findFirst()
                    .orElse(types[0]);
            param.setCompressionType(lossy);
        }
        param.setCompressionQuality(quality);
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (ImageOutputStream out = ImageIO.createImageOutputStream(bytes)) {
            writer.setOutput(out);
            writer.write(null, new IIOImage(image, null, null), param);
        } finally {
            writer.dispose();
        }
        return bytes.toByteArray();
    }
}
