package dev.p2p.sim.report;

import java.math.BigDecimal;
import java.math.RoundingMode;

/** Number formatting shared by the JSON, CSV and HTML outputs: fixed rules, no locale. */
final class Numbers {
    private Numbers() {}

    /** {@code value} rounded to {@code decimals} places, plain notation; empty for NaN or infinity. */
    static String fixed(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return "";
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).stripTrailingZeros().toPlainString();
    }

    /** {@code value} rounded to {@code decimals} places, as a double (NaN stays NaN). */
    static double round(double value, int decimals) {
        if (!Double.isFinite(value)) {
            return value;
        }
        return BigDecimal.valueOf(value).setScale(decimals, RoundingMode.HALF_EVEN).doubleValue();
    }
}
