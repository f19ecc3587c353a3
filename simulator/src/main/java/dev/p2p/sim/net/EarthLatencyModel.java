package dev.p2p.sim.net;

import java.util.Random;

/**
 * Places hosts on the globe around the regions where most Internet users live, and derives
 * one-way delay from great-circle distance plus each end's access link. Round trips come out
 * from a few ms (same city) to about 300 ms (antipodes), median near 100 ms: the shape of
 * measured Internet RTTs (e.g. the King data set), without shipping a matrix.
 */
public final class EarthLatencyModel {
    static final double EARTH_RADIUS_KM = 6371;
    /** Light in fibre covers ~200 km/ms; routes are ~1.3x longer than the great circle. */
    private static final double KM_PER_MILLI = 150;
    private static final double REGION_SPREAD_DEGREES = 6;
    /** The least delay of one access link, in ms. */
    static final double MIN_ACCESS_DELAY_MILLIS = 1;

    /** {latitude, longitude, share of hosts}. */
    private static final double[][] REGIONS = {
        {40.7, -74.0, 0.12}, {37.4, -122.1, 0.08}, {41.9, -87.6, 0.05}, {-23.5, -46.6, 0.07},
        {51.5, -0.1, 0.09}, {50.1, 8.7, 0.09}, {55.8, 37.6, 0.05}, {6.5, 3.4, 0.04},
        {19.1, 72.9, 0.10}, {35.7, 139.7, 0.08}, {31.2, 121.5, 0.12}, {1.35, 103.8, 0.06},
        {-33.9, 151.2, 0.05},
    };

    private final double meanAccessDelayMillis;

    /** @param meanAccessDelayMillis mean one-way delay of a host's access link (exponential, plus 1 ms) */
    public EarthLatencyModel(double meanAccessDelayMillis) {
        this.meanAccessDelayMillis = meanAccessDelayMillis;
    }

    /** A new host numbered {@code number}, placed with draws from {@code random}. */
    public Host place(int number, Random random) {
        return place(number, VirtualAddresses.of(number), random);
    }

    /** A new host numbered {@code number} at {@code address}, placed with draws from {@code random}. */
    Host place(int number, java.net.InetSocketAddress address, Random random) {
        double pick = random.nextDouble();
        double[] region = REGIONS[REGIONS.length - 1];
        for (double[] r : REGIONS) {
            pick -= r[2];
            if (pick < 0) {
                region = r;
                break;
            }
        }
        double lat = clamp(region[0] + random.nextGaussian() * REGION_SPREAD_DEGREES, -80, 80);
        double lon = region[1] + random.nextGaussian() * REGION_SPREAD_DEGREES;
        double access = MIN_ACCESS_DELAY_MILLIS - meanAccessDelayMillis * Math.log(1 - random.nextDouble());
        return new Host(number, address, lat, lon, access);
    }

    /** One-way propagation and access delay from {@code a} to {@code b}, in milliseconds. */
    public double oneWayMillis(Host a, Host b) {
        return a.accessDelayMillis + b.accessDelayMillis + a.distanceKm(b) / KM_PER_MILLI;
    }

    private static double clamp(double v, double lo, double hi) {
        return Math.max(lo, Math.min(hi, v));
    }
}
