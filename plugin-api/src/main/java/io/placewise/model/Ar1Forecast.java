package io.placewise.model;

import java.util.List;
import java.util.function.ToDoubleFunction;

/**
 * One-step AR(1) forecast {@code u_{k+1} = μ + φ(u_k − μ)} over a window of samples (seed 004 §3.4.2):
 * μ is the window mean, φ the lag-1 autocorrelation fitted on the window, clamped to [−1, 1].
 * With a single sample (or a flat window) the forecast is the last sample.
 */
public final class Ar1Forecast {
    private Ar1Forecast() {
    }

    /**
     * The forecast of one resource of a host: over its window's values (oldest first), or the host's
     * current value when it has no window. The one forecast both the hotspot rule and
     * {@code GET /v1/hosts} show.
     */
    public static double next(List<LoadSample> window, ToDoubleFunction<LoadSample> resource, double current) {
        if (window.isEmpty()) {
            return current;
        }
        double[] values = new double[window.size()];
        for (int i = 0; i < values.length; i++) {
            values[i] = resource.applyAsDouble(window.get(i));
        }
        return next(values);
    }

    public static double next(double[] window) {
        int n = window.length;
        if (n == 0) {
            return Double.NaN;
        }
        double last = window[n - 1];
        if (n < 3) {
            return last;
        }
        double mean = 0;
        for (double v : window) {
            mean += v;
        }
        mean /= n;
        double num = 0;
        double den = 0;
        for (int i = 0; i < n; i++) {
            double d = window[i] - mean;
            den += d * d;
            if (i + 1 < n) {
                num += d * (window[i + 1] - mean);
            }
        }
        if (den == 0) {
            return last;
        }
        double phi = Math.max(-1, Math.min(1, num / den));
        return mean + phi * (last - mean);
    }
}
