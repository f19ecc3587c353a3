package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;

import com.offbynull.portmapper.mapper.MappedPort;
import com.offbynull.portmapper.mapper.PortMapper;
import com.offbynull.portmapper.mapper.PortType;
import java.net.InetAddress;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The mapping's life with a router that answers as told (the library's own NAT-PMP, PCP and UPnP
 * talk is tested against miniupnpd in PortMappingTestBedTest): a renewal that fails is a lost
 * mapping, and the node asks again until the router grants one.
 */
class RouterPortMappingTest {
    static final RouterPortMapping.Timing FAST = new RouterPortMapping.Timing(50, 50, 200);

    /** A router that grants mappings while {@code up}, and forgets them when it goes down. */
    static final class Router implements PortMapper {
        volatile boolean up = true;
        volatile int mapped; // mappings in force

        @Override
        public MappedPort mapPort(PortType type, int internal, int external, long lifetime) {
            if (!up) {
                throw new IllegalStateException("no response");
            }
            mapped++;
            return port(type, external);
        }

        @Override
        public void unmapPort(MappedPort port) {
            mapped--;
        }

        @Override
        public MappedPort refreshPort(MappedPort port, long lifetime) {
            if (!up) {
                mapped = 0; // it restarted without its table
                throw new IllegalStateException("no response");
            }
            return port;
        }

        @Override
        public InetAddress getSourceAddress() {
            return InetAddress.getLoopbackAddress();
        }

        static MappedPort port(PortType type, int external) {
            return new MappedPort() {
                @Override
                public int getInternalPort() {
                    return external;
                }

                @Override
                public int getExternalPort() {
                    return external;
                }

                @Override
                public InetAddress getExternalAddress() {
                    return InetAddress.getLoopbackAddress();
                }

                @Override
                public PortType getPortType() {
                    return type;
                }

                @Override
                public long getLifetime() {
                    return 0; // renewed as often as the timing allows
                }
            };
        }
    }

    @Test
    void aMappingLostWhenTheRouterWentAwayIsAskedForAgainUntilTheRouterGrantsIt() throws Exception {
        Router router = new Router();
        BlockingQueue<RouterPortMapping.Outcome> heard = new LinkedBlockingQueue<>();
        try (RouterPortMapping mapping = new RouterPortMapping(24100, heard::add, network -> List.of(router), FAST)) {
            assertInstanceOf(RouterPortMapping.Outcome.Mapped.class, heard.poll(5, TimeUnit.SECONDS));
            router.up = false;
            assertInstanceOf(RouterPortMapping.Outcome.Lost.class, heard.poll(5, TimeUnit.SECONDS), "the renewal failed");
            Thread.sleep(500); // several attempts meet no router
            assertNull(heard.poll(), "nothing granted while the router is down");
            router.up = true;
            RouterPortMapping.Outcome again = heard.poll(5, TimeUnit.SECONDS);
            assertNotNull(again, "asked again once the router was back");
            assertEquals(new java.net.InetSocketAddress(InetAddress.getLoopbackAddress(), 24100),
                    ((RouterPortMapping.Outcome.Mapped) again).external());
            assertEquals(2, router.mapped, "TCP and UDP mapped again");
        }
        assertEquals(0, router.mapped, "removed on close");
    }

    @Test
    void aRouterThatMapsNothingAtStartIsToldOnceAndNotAskedAgain() throws Exception {
        Router router = new Router();
        router.up = false;
        BlockingQueue<RouterPortMapping.Outcome> heard = new LinkedBlockingQueue<>();
        try (RouterPortMapping mapping = new RouterPortMapping(24100, heard::add, network -> List.of(router), FAST)) {
            assertInstanceOf(RouterPortMapping.Outcome.Unavailable.class, heard.poll(5, TimeUnit.SECONDS));
            router.up = true;
            Thread.sleep(500);
            assertNull(heard.poll(), "one line, no retries: that router has no mapping protocol on");
        }
    }
}
