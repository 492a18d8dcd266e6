package io.tokenlab.plugin.tokenizer.analysis;

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
import java.util.Comparator;
import java.util.List;

/**
 * A bar chart of token premiums, languages sorted by premium, with the parity line at 1.0.
 * Drawn with java.awt only (headless), so the bundle needs nothing beyond the JDK.
 */
final class PremiumChart {
    private static final int HEIGHT = 600;
    private static final int MARGIN_LEFT = 70;
    private static final int MARGIN_BOTTOM = 90;
    private static final int MARGIN_TOP = 50;

    private PremiumChart() {
    }

    static void write(String title, List<TokenPremiums.Premium> premiums, Path png) throws IOException {
        List<TokenPremiums.Premium> sorted = new ArrayList<>(premiums);
        sorted.sort(Comparator.comparingDouble(TokenPremiums.Premium::premium));
        int barWidth = sorted.size() > 150 ? 3 : sorted.size() > 40 ? 8 : 24;
        int width = MARGIN_LEFT + 30 + barWidth * sorted.size();
        double max = Math.max(1.5, sorted.isEmpty() ? 1 : sorted.get(sorted.size() - 1).premium());
        double top = Math.ceil(max);
        BufferedImage image = new BufferedImage(Math.max(width, 500), HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = image.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, image.getWidth(), HEIGHT);
        int plotHeight = HEIGHT - MARGIN_TOP - MARGIN_BOTTOM;
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 14));
        g.drawString(title, MARGIN_LEFT, 25);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int tick = 0; tick <= top; tick++) {
            int y = MARGIN_TOP + plotHeight - (int) Math.round(plotHeight * tick / top);
            g.setColor(new Color(225, 225, 225));
            g.drawLine(MARGIN_LEFT, y, image.getWidth() - 10, y);
            g.setColor(Color.BLACK);
            g.drawString(String.format("%d.0", tick), MARGIN_LEFT - 35, y + 4);
        }
        for (int i = 0; i < sorted.size(); i++) {
            TokenPremiums.Premium p = sorted.get(i);
            int h = (int) Math.round(plotHeight * p.premium() / top);
            int x = MARGIN_LEFT + 10 + i * barWidth;
            g.setColor(p.premium() <= 1.0 ? new Color(60, 140, 90) : new Color(200, 90, 60));
            g.fillRect(x, MARGIN_TOP + plotHeight - h, Math.max(1, barWidth - 1), h);
            // label every bar when they fit, else every n-th, so the axis stays readable
            int every = Math.max(1, 14 / barWidth);
            if (i % every == 0 || i == sorted.size() - 1) {
                Graphics2D r = (Graphics2D) g.create();
                r.setColor(Color.DARK_GRAY);
                r.translate(x + barWidth / 2 + 4, HEIGHT - MARGIN_BOTTOM + 6);
                r.rotate(Math.PI / 2);
                r.drawString(p.language(), 0, 0);
                r.dispose();
            }
        }
        int parity = MARGIN_TOP + plotHeight - (int) Math.round(plotHeight / top);
        g.setColor(Color.BLUE);
        g.setStroke(new BasicStroke(1.5f));
        g.drawLine(MARGIN_LEFT, parity, image.getWidth() - 10, parity);
        g.drawString("parity with the reference", image.getWidth() - 170, parity - 4);
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(image, "png", png.toFile());
    }
}
