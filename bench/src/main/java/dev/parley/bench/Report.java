package dev.parley.bench;

import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/** One scenario's outcome: a JSON line for machines (bench/report.py builds the docs from these) and a summary. */
final class Report {

    private final Map<String, Object> fields = new LinkedHashMap<>();
    private final StringBuilder summary = new StringBuilder();

    Report(String scenario, Target target, Options options) {
        fields.put("scenario", scenario);
        fields.put("server", target.server());
        fields.put("options", options.used());
    }

    Report put(String name, Object value) {
        fields.put(name, value);
        return this;
    }

    /** Latency in microseconds: p50, p90, p99, p99.9 and max, as recorded in nanoseconds. */
    Report latency(String name, Histogram nanos) {
        Map<String, Object> percentiles = new LinkedHashMap<>();
        percentiles.put("count", nanos.getTotalCount());
        for (double p : new double[] {50, 90, 99, 99.9}) {
            percentiles.put("p" + (p == Math.rint(p) ? Integer.toString((int) p) : Double.toString(p)),
                    round(nanos.getValueAtPercentile(p) / 1000.0));
        }
        percentiles.put("max", round(nanos.getMaxValue() / 1000.0));
        fields.put(name + "_us", percentiles);
        return this;
    }

    Report line(String format, Object... args) {
        summary.append(String.format(Locale.ROOT, format, args)).append('\n');
        return this;
    }

    static double round(double value) {
        return Math.round(value * 10) / 10.0;
    }

    void print() {
        System.out.print(summary);
        System.out.println("RESULT " + toJson(fields));
    }

    private static String toJson(Object value) {
        if (value instanceof Map<?, ?> map) {
            StringBuilder out = new StringBuilder("{");
            map.forEach((k, v) -> out.append(out.length() > 1 ? "," : "").append(Json.quote(k.toString()))
                    .append(':').append(toJson(v)));
            return out.append('}').toString();
        }
        if (value instanceof Number || value instanceof Boolean) {
            return value.toString();
        }
        return Json.quote(String.valueOf(value));
    }
}
