package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.List;
import org.junit.jupiter.api.Test;

class DefaultGatewayTest {
    static final String HEADER = "Iface\tDestination\tGateway \tFlags\tRefCnt\tUse\tMetric\tMask\t\tMTU\tWindow\tIRTT";

    @Test
    void theDefaultRoutesGatewayIsReadInTheKernelsByteOrder() {
        List<String> table = List.of(HEADER,
                "eth0\t00014E0A\t00000000\t0001\t0\t0\t0\t00FFFFFF\t0\t0\t0",
                "eth0\t00000000\t01014E0A\t0003\t0\t0\t0\t00000000\t0\t0\t0");
        assertEquals("10.78.1.1", DefaultGateway.parse(table).getHostAddress());
    }

    @Test
    void noDefaultRouteOrAGarbledLineGivesNoGateway() {
        assertNull(DefaultGateway.parse(List.of(HEADER, "eth0\t00004D0A\t00000000\t0001\t0\t0\t0\t0000FFFF\t0\t0\t0")));
        assertNull(DefaultGateway.parse(List.of(HEADER, "eth0\t00000000\tZZZZ\t0003", "", "eth0 00000000 00000000 0001 0 0 0 00000000")));
    }
}
