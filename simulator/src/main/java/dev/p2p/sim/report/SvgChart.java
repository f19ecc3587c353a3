package dev.p2p.sim.report;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A line chart as inline SVG: x is virtual time in minutes, one polyline per series (broken where
 * a value is undefined), shaded bands for spans such as warm-up and partitions, and an optional
 * dashed reference line. No script, no external resource.
 */
final class SvgChart {
    private static final int WIDTH = 560;
    private static final int HEIGHT = 240;
    private static final int LEFT = 56;
    private static final int RIGHT = 12;
    private static final int TOP = 28;
    private static final int BOTTOM = 36;

    /** One line: a name for the legend, a colour, and y values at the chart's x positions. */
    record Series(String name, String color, double[] values) {}

    /** A shaded span of x, in seconds. */
    record Band(double fromSeconds, double toSeconds, String color, String label) {}

    private final String title;
    private final double[] xSeconds;
    private final List<Series> series = new ArrayList<>();
    private final List<Band> bands = new ArrayList<>();
    private Double fixedMaxY;
    private double referenceY = Double.NaN;
    private String referenceLabel;

    SvgChart(String title, double[] xSeconds) {
        this.title = title;
        this.xSeconds = xSeconds;
    }

    SvgChart add(Series s) {
        series.add(s);
        return this;
    }

    SvgChart band(Band b) {
        bands.add(b);
        return this;
    }

    /** Fixes the top of the y axis (1 for shares); otherwise it fits the data. */
    SvgChart maxY(double max) {
        fixedMaxY = max;
        return this;
    }

    SvgChart reference(double y, String label) {
        referenceY = y;
        referenceLabel = label;
        return this;
    }

    String render() {
        double maxX = xSeconds.length == 0 ? 1 : Math.max(1, xSeconds[xSeconds.length - 1]);
        double maxY = fixedMaxY != null ? fixedMaxY : niceCeiling(dataMax());
        StringBuilder b = new StringBuilder();
        b.append("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"").append(WIDTH).append("\" height=\"")
                .append(HEIGHT).append("\" viewBox=\"0 0 ").append(WIDTH).append(' ').append(HEIGHT)
                .append("\" role=\"img\" aria-label=\"").append(Html.escape(title)).append("\">\n");
        b.append("<text x=\"").append(LEFT).append("\" y=\"16\" class=\"title\">").append(Html.escape(title)).append("</text>\n");
        for (Band band : bands) {
            double x0 = x(band.fromSeconds(), maxX);
            double x1 = x(Math.min(band.toSeconds(), maxX), maxX);
            b.append(fmt("<rect x=\"%.1f\" y=\"%d\" width=\"%.1f\" height=\"%d\" fill=\"%s\" opacity=\"0.18\"><title>%s</title></rect>\n",
                    x0, TOP, Math.max(0, x1 - x0), HEIGHT - TOP - BOTTOM, band.color(), Html.escape(band.label())));
        }
        axes(b, maxX, maxY);
        if (Double.isFinite(referenceY) && referenceY <= maxY) {
            double y = y(referenceY, maxY);
            b.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" stroke=\"#555\" stroke-dasharray=\"5,4\"/>\n",
                    LEFT, y, WIDTH - RIGHT, y));
            b.append(fmt("<text x=\"%d\" y=\"%.1f\" class=\"ref\">%s</text>\n",
                    WIDTH - RIGHT - 4, y - 4, Html.escape(referenceLabel)));
        }
        for (Series s : series) {
            polylines(b, s, maxX, maxY);
        }
        legend(b);
        return b.append("</svg>\n").toString();
    }

    private void axes(StringBuilder b, double maxX, double maxY) {
        int plotBottom = HEIGHT - BOTTOM;
        b.append("<g class=\"axis\">\n");
        for (int i = 0; i <= 4; i++) {
            double v = maxY * i / 4;
            double y = y(v, maxY);
            b.append(fmt("<line x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\" class=\"grid\"/><text x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>\n",
                    LEFT, y, WIDTH - RIGHT, y, LEFT - 6, y + 4, label(v)));
        }
        double stepMinutes = tickStepMinutes(maxX / 60);
        for (double minutes = 0; minutes * 60 <= maxX + 1e-9; minutes += stepMinutes) {
            double x = x(minutes * 60, maxX);
            b.append(fmt("<line x1=\"%.1f\" y1=\"%d\" x2=\"%.1f\" y2=\"%d\"/><text x=\"%.1f\" y=\"%d\" text-anchor=\"middle\">%s</text>\n",
                    x, plotBottom, x, plotBottom + 4, x, plotBottom + 18, label(minutes)));
        }
        b.append(fmt("<text x=\"%d\" y=\"%d\" text-anchor=\"middle\">virtual time (minutes)</text>\n",
                LEFT + (WIDTH - LEFT - RIGHT) / 2, HEIGHT - 4));
        b.append("</g>\n");
    }

    private void polylines(StringBuilder b, Series s, double maxX, double maxY) {
        StringBuilder points = new StringBuilder();
        for (int i = 0; i <= xSeconds.length; i++) {
            boolean defined = i < xSeconds.length && i < s.values().length && Double.isFinite(s.values()[i]);
            if (defined) {
                points.append(fmt("%.1f,%.1f ",
                        x(xSeconds[i], maxX), y(Math.min(s.values()[i], maxY), maxY)));
            } else if (points.length() > 0) {
                b.append("<polyline fill=\"none\" stroke-width=\"1.8\" stroke=\"").append(s.color())
                        .append("\" points=\"").append(points.toString().strip()).append("\"/>\n");
                points.setLength(0);
            }
        }
    }

    private void legend(StringBuilder b) {
        int x = WIDTH - RIGHT;
        for (int i = series.size() - 1; i >= 0; i--) {
            Series s = series.get(i);
            x -= 14 + 7 * s.name().length();
            b.append(fmt("<rect x=\"%d\" y=\"8\" width=\"10\" height=\"10\" fill=\"%s\"/><text x=\"%d\" y=\"17\">%s</text>\n",
                    x, s.color(), x + 13, Html.escape(s.name())));
        }
    }

    private double dataMax() {
        double max = Double.isFinite(referenceY) ? referenceY : 0;
        for (Series s : series) {
            for (double v : s.values()) {
                if (Double.isFinite(v)) {
                    max = Math.max(max, v);
                }
            }
        }
        return max;
    }

    private static double x(double seconds, double maxX) {
        return LEFT + (WIDTH - LEFT - RIGHT) * seconds / maxX;
    }

    private static double y(double value, double maxY) {
        return HEIGHT - BOTTOM - (HEIGHT - TOP - BOTTOM) * value / maxY;
    }

    private static String fmt(String format, Object... args) {
        return String.format(Locale.ROOT, format, args);
    }

    /** A round step in minutes that puts at most 8 ticks on an axis of {@code spanMinutes}. */
    static double tickStepMinutes(double spanMinutes) {
        for (double step : new double[] {0.25, 0.5, 1, 2, 5, 10, 15, 30, 60, 120, 240, 480, 720, 1440}) {
            if (spanMinutes / step <= 8) {
                return step;
            }
        }
        return niceCeiling(spanMinutes / 8);
    }

    /** 1, 2 or 5 times a power of ten, at or above {@code v}. */
    static double niceCeiling(double v) {
        if (!(v > 0)) {
            return 1;
        }
        double p = Math.pow(10, Math.floor(Math.log10(v)));
        for (double m : new double[] {1, 2, 5, 10}) {
            if (m * p >= v) {
                return m * p;
            }
        }
        return 10 * p;
    }

    private static String label(double v) {
        return Numbers.fixed(v, v != 0 && Math.abs(v) < 1 ? 2 : 1);
    }
}
