package dev.p2p.sim.net;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class HostTest {
    static Host at(double lat, double lon) {
        return new Host(1, VirtualAddresses.of(1), lat, lon, 1);
    }

    @Test
    void greatCircleDistancesMatchTheGlobe() {
        assertEquals(5_570, at(51.5, -0.1).distanceKm(at(40.7, -74.0)), 10, "London to New York");
        assertEquals(Math.PI * EarthLatencyModel.EARTH_RADIUS_KM, at(10, 20).distanceKm(at(-10, -160)), 1, "antipodes");
        assertEquals(0, at(35.7, 139.7).distanceKm(at(35.7, 139.7)), 1, "same place");
    }

    @Test
    void arcCosStaysWithinItsErrorBoundEverywhere() {
        for (int i = -1000; i <= 1000; i++) {
            double x = i / 1000.0;
            assertEquals(Math.acos(x), Host.arcCos(x), 6.8e-5, "acos(" + x + ")");
        }
    }
}
