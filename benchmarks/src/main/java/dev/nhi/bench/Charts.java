package dev.nhi.bench;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.style.Styler;

/** The suite's PNG charts (XChart). */
final class Charts {
    private Charts() {
    }

    /**
     * One group per realm: throughput, and p50 and p99 latency, each as a ratio to vanilla Keycloak in
     * the same run (latency inverted, so that higher is better everywhere and 1.0 is vanilla).
     */
    static void tokenRatios(String setting, Map<String, double[]> ratios, Path png) throws IOException {
        CategoryChart chart = new CategoryChartBuilder().width(1000).height(520)
                .title("Token endpoint against vanilla Keycloak 26.7.3, " + setting + " (1.0 = vanilla, higher is better)")
                .xAxisTitle("realm").yAxisTitle("ratio to vanilla").build();
        chart.getStyler().setLegendPosition(Styler.LegendPosition.OutsideS);
        // up to eight realms per chart: slanted, their names do not run into each other
        chart.getStyler().setXAxisLabelRotation(20);
        chart.getStyler().setYAxisMin(0.0);
        chart.getStyler().setYAxisMax(1.2);
        chart.getStyler().setLabelsVisible(true);
        chart.getStyler().setLabelsFontColorAutomaticEnabled(false);
        List<String> realms = new ArrayList<>(ratios.keySet());
        String[] series = {"throughput", "p50 latency (vanilla / this)", "p99 latency (vanilla / this)"};
        for (int i = 0; i < series.length; i++) {
            List<Double> values = new ArrayList<>();
            for (String realm : realms) {
                values.add(Math.round(ratios.get(realm)[i] * 1000) / 1000.0);
            }
            chart.addSeries(series[i], realms, values);
        }
        BitmapEncoder.saveBitmap(chart, png.toString(), BitmapEncoder.BitmapFormat.PNG);
    }
}
