package dev.p2p.sim.net;

import java.net.InetSocketAddress;

/**
 * A virtual machine on the simulated Internet: its address, where it sits on the globe (a unit
 * vector), the delay of its access link, and when its uplink is next free.
 */
public final class Host {
    final int number;
    final InetSocketAddress address;
    final double x;
    final double y;
    final double z;
    final double accessDelayMillis;
    /** The engine lane whose events are this host's (see {@link LaneDealer}). */
    int lane;
    double uplinkFreeAtMillis;

    Host(int number, InetSocketAddress address, double latitudeDegrees, double longitudeDegrees,
            double accessDelayMillis) {
        this.number = number;
        this.address = address;
        double lat = Math.toRadians(latitudeDegrees);
        double lon = Math.toRadians(longitudeDegrees);
        this.x = Math.cos(lat) * Math.cos(lon);
        this.y = Math.cos(lat) * Math.sin(lon);
        this.z = Math.sin(lat);
        this.accessDelayMillis = accessDelayMillis;
    }

    public int number() {
        return number;
    }

    public InetSocketAddress address() {
        return address;
    }

    /** The index of the engine lane that runs this host's events. */
    public int lane() {
        return lane;
    }

    /** Great-circle distance to {@code other} in kilometres. */
    double distanceKm(Host other) {
        double dot = x * other.x + y * other.y + z * other.z;
        return EarthLatencyModel.EARTH_RADIUS_KM * arcCos(Math.max(-1, Math.min(1, dot)));
    }

    /**
     * acos within 6.7e-5 radians (0.43 km on the globe; Abramowitz and Stegun 4.4.45). Every
     * datagram needs one, and Math.acos (fdlibm, not an intrinsic) was 6% of a run's time.
     */
    static double arcCos(double x) {
        double a = Math.abs(x);
        double r = Math.sqrt(1 - a) * (1.5707288 + a * (-0.2121144 + a * (0.0742610 + a * -0.0187293)));
        return x < 0 ? Math.PI - r : r;
    }
}
