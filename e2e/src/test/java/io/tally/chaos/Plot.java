package io.tally.chaos;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import javax.imageio.ImageIO;

/** Small multiples of time series drawn with Java2D (headless), one panel per series group. */
final class Plot {
    record Series(String name, double[] values, Color color) {}

    record Panel(String title, String unit, List<Series> series) {}

    private Plot() {}

    static void write(Path png, String title, double[] minutes, List<Panel> panels) throws IOException {
        System.setProperty("java.awt.headless", "true");
        int cols = 2;
        int rows = (panels.size() + cols - 1) / cols;
        int pw = 520;
        int ph = 230;
        int top = 40;
        BufferedImage img = new BufferedImage(cols * pw, top + rows * ph, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = img.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, img.getWidth(), img.getHeight());
        g.setColor(Color.BLACK);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 16));
        g.drawString(title, 12, 26);
        for (int p = 0; p < panels.size(); p++) {
            panel(g, panels.get(p), minutes, (p % cols) * pw, top + (p / cols) * ph, pw, ph);
        }
        g.dispose();
        Files.createDirectories(png.toAbsolutePath().getParent());
        ImageIO.write(img, "png", png.toFile());
    }

    private static void panel(Graphics2D g, Panel panel, double[] x, int ox, int oy, int w, int h) {
        int left = ox + 62;
        int right = ox + w - 16;
        int top = oy + 28;
        int bottom = oy + h - 34;
        double max = 0;
        for (Series s : panel.series()) for (double v : s.values()) if (!Double.isNaN(v)) max = Math.max(max, v);
        max = max <= 0 ? 1 : niceCeil(max * 1.1);
        double xmax = x.length == 0 ? 1 : Math.max(x[x.length - 1], 1e-9);
        g.setFont(new Font(Font.SANS_SERIF, Font.BOLD, 13));
        g.setColor(Color.BLACK);
        g.drawString(panel.title() + " (" + panel.unit() + ")", left, oy + 18);
        g.setFont(new Font(Font.SANS_SERIF, Font.PLAIN, 11));
        for (int i = 0; i <= 4; i++) {
            int y = bottom - (bottom - top) * i / 4;
            g.setColor(new Color(225, 225, 225));
            g.drawLine(left, y, right, y);
            g.setColor(Color.DARK_GRAY);
            String label = format(max * i / 4);
            g.drawString(label, left - 6 - g.getFontMetrics().stringWidth(label), y + 4);
        }
        for (int i = 0; i <= 5; i++) {
            int xx = left + (right - left) * i / 5;
            String label = String.format("%.0f", xmax * i / 5);
            g.drawString(label, xx - g.getFontMetrics().stringWidth(label) / 2, bottom + 14);
        }
        g.drawString("minutes", right - 44, bottom + 28);
        g.setColor(Color.GRAY);
        g.drawRect(left, top, right - left, bottom - top);
        int legend = left + 8;
        g.setStroke(new BasicStroke(1.6f));
        for (Series s : panel.series()) {
            g.setColor(s.color());
            int px = -1;
            int py = -1;
            for (int i = 0; i < s.values().length && i < x.length; i++) {
                double v = s.values()[i];
                if (Double.isNaN(v)) {
                    px = -1;
                    continue;
                }
                int xx = left + (int) ((right - left) * x[i] / xmax);
                int yy = bottom - (int) ((bottom - top) * v / max);
                if (px >= 0) g.drawLine(px, py, xx, yy);
                px = xx;
                py = yy;
            }
            g.drawString(s.name(), legend, top + 14);
            legend += g.getFontMetrics().stringWidth(s.name()) + 14;
        }
    }

    private static double niceCeil(double v) {
        double mag = Math.pow(10, Math.floor(Math.log10(v)));
        for (double step : new double[] {1, 2, 2.5, 5, 10}) if (step * mag >= v) return step * mag;
        return 10 * mag;
    }

    private static String format(double v) {
        return v >= 100 || v == Math.rint(v) ? String.format("%.0f", v) : String.format("%.1f", v);
    }
}
