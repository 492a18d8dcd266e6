package io.tokenlab.plugin.image.common;

import javax.imageio.ImageIO;
import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Rate-distortion curves (bytes on a log axis against a quality) drawn with java.awt into a PNG. */
public final class RateDistortionPlot {
    private static final Color[] PALETTE = {new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c),
            new Color(0xff7f0e), new Color(0x9467bd), new Color(0x8c564b), new Color(0x17becf)};
    private final String title;
    private final String yLabel;
    private final Map<String, List<double[]>> series = new LinkedHashMap<>();

    public RateDistortionPlot(String title, String yLabel) {
        this.title = title;
        this.yLabel = yLabel;
    }

    public RateDistortionPlot add(String name, double bytes, double quality) {
        if (bytes > 0 && Double.isFinite(quality)) {
            series.computeIfAbsent(name, k -> new ArrayList<>()).add(new double[] {bytes, quality});
        }
        return this;
    }

    public void write(Path png) throws IOException {
        int w = 1040;
        int h = 600;
        int left = 80;
        int right = 340;
        int top = 50;
        int bottom = 60;
        double minX = Double.MAX_VALUE;
        double maxX = 0;
        double minY = Double.MAX_VALUE;
        double maxY = -Double.MAX_VALUE;
        for (List<double[]> s : series.values()) {
            for (double[] p : s) {
                minX = Math.min(minX, p[0]);
                maxX = Math.max(maxX, p[0]);
                minY = Math.min(minY, p[1]);
                maxY = Math.max(maxY, p[1]);
            }
        }
        if (series.isEmpty()) {
            throw new IllegalStateException("nothing to plot");
        }
        double lx0 = Math.floor(Math.log10(minX) * 4) / 4;
        double lx1 = Math.ceil(Math.log10(maxX) * 4) / 4 + 1e-9;
        double pad = Math.max(1e-6, (maxY - minY) * 0.05);
        double y0 = minY - pad;
        double y1 = maxY + pad;
        BufferedImage img = new BufferedImage(w, h, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, w, h);
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, left, 30);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
        int pw = w - left - right;
        int ph = h - top - bottom;
        g.drawRect(left, top, pw, ph);
        for (double e = Math.ceil(lx0); e <= lx1; e += 0.5) {
            int x = left + (int) ((e - lx0) / (lx1 - lx0) * pw);
            g.setColor(new Color(0xdddddd));
            g.drawLine(x, top, x, top + ph);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.0f", Math.pow(10, e)), x - 15, top + ph + 18);
        }
        for (int i = 0; i <= 5; i++) {
            double v = y0 + (y1 - y0) * i / 5;
            int y = top + ph - (int) ((v - y0) / (y1 - y0) * ph);
            g.setColor(new Color(0xdddddd));
            g.drawLine(left, y, left + pw, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%.3g", v), 10, y + 4);
        }
        g.drawString("bytes (log scale)", left + pw / 2 - 40, h - 15);
        g.drawString(yLabel, 10, top - 8);
        int index = 0;
        for (Map.Entry<String, List<double[]>> e : series.entrySet()) {
            Color c = PALETTE[index % PALETTE.length];
            g.setColor(c);
            g.setStroke(new BasicStroke(2f));
            List<double[]> pts = new ArrayList<>(e.getValue());
            pts.sort((a, b) -> Double.compare(a[0], b[0]));
            int px = -1;
            int py = -1;
            for (double[] p : pts) {
                int x = left + (int) ((Math.log10(p[0]) - lx0) / (lx1 - lx0) * pw);
                int y = top + ph - (int) ((p[1] - y0) / (y1 - y0) * ph);
                g.fillOval(x - 3, y - 3, 6, 6);
                if (px >= 0) {
                    g.drawLine(px, py, x, y);
                }
                px = x;
                py = y;
            }
            g.fillRect(left + pw + 15, top + 10 + index * 20, 12, 12);
            g.setColor(Color.BLACK);
            g.drawString(e.getKey(), left + pw + 32, top + 21 + index * 20);
            index++;
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }
}
