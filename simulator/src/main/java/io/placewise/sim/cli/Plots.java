package io.placewise.sim.cli;

import io.placewise.sim.engine.PolicyResult;
import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.ToDoubleFunction;
import org.jfree.chart.ChartFactory;
import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.plot.CategoryPlot;
import org.jfree.chart.plot.PlotOrientation;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.category.BoxAndWhiskerRenderer;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.data.statistics.BoxAndWhiskerCalculator;
import org.jfree.data.statistics.BoxAndWhiskerItem;
import org.jfree.data.statistics.DefaultBoxAndWhiskerCategoryDataset;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

/** The report's PNG plots (JFreeChart): per-interval series for every policy, and the spread of host CPU. */
final class Plots {
    private static final int WIDTH = 1000;
    private static final int HEIGHT = 520;
    /** Distinct, print-safe colours, one per policy. */
    private static final Color[] PALETTE = {new Color(0x33, 0x33, 0x33), new Color(0x1f, 0x77, 0xb4),
            new Color(0x2c, 0xa0, 0x2c), new Color(0xff, 0x7f, 0x0e), new Color(0x94, 0x67, 0xbd), new Color(0x8c, 0x56, 0x4b),
            new Color(0xd6, 0x27, 0x28), new Color(0x17, 0xbe, 0xcf), new Color(0xe3, 0x77, 0xc2)};

    private Plots() {
    }

    static List<Path> write(Path out, List<PolicyResult> results, int intervalS) throws IOException {
        System.setProperty("java.awt.headless", "true");
        List<Path> files = new ArrayList<>();
        files.add(series(out.resolve("active_hosts.png"), "Active hosts per interval", "active hosts", results, intervalS,
                PolicyResult.IntervalStats::activeHosts));
        files.add(series(out.resolve("overloaded_hosts.png"), "Overloaded hosts per interval (CPU above the hotspot threshold)",
                "overloaded hosts", results, intervalS, PolicyResult.IntervalStats::overloadedHosts));
        files.add(series(out.resolve("migrations.png"), "Migrations started per interval", "migrations", results, intervalS,
                PolicyResult.IntervalStats::migrations));
        files.add(spread(out.resolve("cpu_spread.png"), results));
        return files;
    }

    private static Path series(Path file, String title, String yLabel, List<PolicyResult> results, int intervalS,
                               ToDoubleFunction<PolicyResult.IntervalStats> value) throws IOException {
        XYSeriesCollection data = new XYSeriesCollection();
        for (PolicyResult r : results) {
            XYSeries s = new XYSeries(r.name(), false, true);
            for (PolicyResult.IntervalStats i : r.series()) {
                s.add(i.interval() * (double) intervalS / 3600, value.applyAsDouble(i));
            }
            data.addSeries(s);
        }
        JFreeChart chart = ChartFactory.createXYLineChart(title, "hours", yLabel, data, PlotOrientation.VERTICAL, true,
                false, false);
        XYPlot plot = chart.getXYPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setDomainGridlinePaint(Color.LIGHT_GRAY);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
        for (int i = 0; i < results.size(); i++) {
            renderer.setSeriesStroke(i, new BasicStroke(1.4f));
            renderer.setSeriesPaint(i, PALETTE[i % PALETTE.length]);
        }
        plot.setRenderer(renderer);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }

    private static Path spread(Path file, List<PolicyResult> results) throws IOException {
        DefaultBoxAndWhiskerCategoryDataset data = new DefaultBoxAndWhiskerCategoryDataset();
        for (PolicyResult r : results) {
            float[] u = r.activeUtilization();
            // At most about 50,000 values, evenly picked: the quartiles do not move, the plot stays fast.
            int step = Math.max(1, u.length / 50_000);
            List<Double> values = new ArrayList<>(u.length / step + 1);
            for (int i = 0; i < u.length; i += step) {
                values.add(u[i] * 100.0);
            }
            if (values.isEmpty()) {
                values.add(0.0);
            }
            // Quartiles and whiskers (1.5 IQR) only: tens of thousands of points make the outlier marks a smear.
            BoxAndWhiskerItem stats = BoxAndWhiskerCalculator.calculateBoxAndWhiskerStatistics(values);
            data.add(new BoxAndWhiskerItem(stats.getMean(), stats.getMedian(), stats.getQ1(), stats.getQ3(),
                    stats.getMinRegularValue(), stats.getMaxRegularValue(), stats.getMinRegularValue(),
                    stats.getMaxRegularValue(), List.of()), "CPU of active hosts", r.name());
        }
        JFreeChart chart = ChartFactory.createBoxAndWhiskerChart("Spread of host CPU (active hosts, every interval)",
                "policy", "CPU utilisation %", data, false);
        CategoryPlot plot = chart.getCategoryPlot();
        plot.setBackgroundPaint(Color.WHITE);
        plot.setRangeGridlinePaint(Color.LIGHT_GRAY);
        plot.getDomainAxis().setMaximumCategoryLabelLines(2);
        BoxAndWhiskerRenderer renderer = (BoxAndWhiskerRenderer) plot.getRenderer();
        renderer.setMeanVisible(false);
        renderer.setMaximumBarWidth(0.08);
        renderer.setSeriesPaint(0, PALETTE[1]);
        renderer.setMaxOutlierVisible(false);
        renderer.setMinOutlierVisible(false);
        ChartUtils.saveChartAsPNG(file.toFile(), chart, WIDTH, HEIGHT);
        return file;
    }
}
