package dev.p2p.sim.churn;

import dev.p2p.sim.engine.Durations;
import java.util.Random;

/**
 * A distribution of durations in milliseconds (session lengths, downtimes). The three families
 * measurement studies of P2P networks report, plus a constant for tests. Each is built from its
 * median, the figure studies quote and people remember, or from its natural parameters.
 */
public sealed interface Distribution {

    /** One draw, in milliseconds, at least 1. */
    long sampleMillis(Random random);

    /** The theoretical median in milliseconds. */
    double medianMillis();

    /** The theoretical mean in milliseconds ({@code Infinity} when it does not exist). */
    double meanMillis();

    /** A short description for reports, e.g. {@code exponential(median=30m)}. */
    String describe();

    /** Every draw is {@code millis}. */
    record Constant(double millis) implements Distribution {
        public long sampleMillis(Random random) {
            return atLeastOne(millis);
        }

        public double medianMillis() {
            return millis;
        }

        public double meanMillis() {
            return millis;
        }

        public String describe() {
            return "constant(" + Durations.format((long) millis) + ")";
        }
    }

    /** Memoryless: P(X > t) = exp(-t / mean). */
    record Exponential(double meanMillis) implements Distribution {
        public static Exponential withMedian(double medianMillis) {
            return new Exponential(medianMillis / Math.log(2));
        }

        public long sampleMillis(Random random) {
            return atLeastOne(-meanMillis * Math.log(1 - random.nextDouble()));
        }

        public double medianMillis() {
            return meanMillis * Math.log(2);
        }

        public String describe() {
            return "exponential(median=" + Durations.format((long) medianMillis()) + ")";
        }
    }

    /** P(X > t) = exp(-(t / scale)^shape); shape below 1 gives the heavy head of short sessions. */
    record Weibull(double shape, double scaleMillis) implements Distribution {
        public static Weibull withMedian(double shape, double medianMillis) {
            return new Weibull(shape, medianMillis / Math.pow(Math.log(2), 1 / shape));
        }

        public long sampleMillis(Random random) {
            return atLeastOne(scaleMillis * Math.pow(-Math.log(1 - random.nextDouble()), 1 / shape));
        }

        public double medianMillis() {
            return scaleMillis * Math.pow(Math.log(2), 1 / shape);
        }

        public double meanMillis() {
            return scaleMillis * Math.exp(Gamma.logGamma(1 + 1 / shape));
        }

        public String describe() {
            return "weibull(shape=" + shape + ", median=" + Durations.format((long) medianMillis()) + ")";
        }
    }

    /** P(X > t) = (scale / t)^shape for t >= scale: a few sessions last very long. */
    record Pareto(double shape, double scaleMillis) implements Distribution {
        public static Pareto withMedian(double shape, double medianMillis) {
            return new Pareto(shape, medianMillis / Math.pow(2, 1 / shape));
        }

        public long sampleMillis(Random random) {
            return atLeastOne(scaleMillis / Math.pow(1 - random.nextDouble(), 1 / shape));
        }

        public double medianMillis() {
            return scaleMillis * Math.pow(2, 1 / shape);
        }

        public double meanMillis() {
            return shape <= 1 ? Double.POSITIVE_INFINITY : shape * scaleMillis / (shape - 1);
        }

        public String describe() {
            return "pareto(shape=" + shape + ", median=" + Durations.format((long) medianMillis()) + ")";
        }
    }

    private static long atLeastOne(double millis) {
        return Math.max(1, Math.round(Math.min(millis, 1e15)));
    }
}
