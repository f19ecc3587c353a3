package dev.p2p.node;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.offbynull.portmapper.mappers.natpmp.externalmessages.ExternalAddressNatPmpResponse;
import com.offbynull.portmapper.mappers.natpmp.externalmessages.TcpMappingNatPmpResponse;
import com.offbynull.portmapper.mappers.natpmp.externalmessages.UdpMappingNatPmpResponse;
import com.offbynull.portmapper.mappers.pcp.externalmessages.MapPcpResponse;
import com.offbynull.portmapper.mappers.upnpigd.externalmessages.AddPortMappingUpnpIgdResponse;
import com.offbynull.portmapper.mappers.upnpigd.externalmessages.DeletePortMappingUpnpIgdResponse;
import com.offbynull.portmapper.mappers.upnpigd.externalmessages.GetExternalIpAddressUpnpIgdResponse;
import com.offbynull.portmapper.mappers.upnpigd.externalmessages.RootUpnpIgdResponse;
import com.offbynull.portmapper.mappers.upnpigd.externalmessages.ServiceDescriptionUpnpIgdResponse;
import com.offbynull.portmapper.mappers.upnpigd.externalmessages.ServiceDiscoveryUpnpIgdResponse;
import java.net.URL;

/**
 * What a device on the LAN answers to port-mapping requests is parsed by the port-mapping library
 * (RouterPortMapping): NAT-PMP and PCP datagrams from the gateway, SSDP answers and UPnP XML from
 * any device. Any bytes must parse or be refused with a RuntimeException, which RouterPortMapping
 * catches (the node then carries on without a mapping); an Error or a hang is a finding. In the
 * normal test run this replays the inputs under src/test/resources/.../RouterReplyFuzzTestInputs;
 * set JAZZER_FUZZ=1 to fuzz (docs/FUZZING.md).
 */
class RouterReplyFuzzTest {
    @FuzzTest(maxDuration = "30s")
    void repliesParseOrAreRefusedWithARuntimeException(byte[] reply) throws Exception {
        URL root = new URL("http://10.78.1.1:5000/rootDesc.xml");
        refusedCleanly(() -> new TcpMappingNatPmpResponse(reply));
        refusedCleanly(() -> new UdpMappingNatPmpResponse(reply));
        refusedCleanly(() -> new ExternalAddressNatPmpResponse(reply));
        refusedCleanly(() -> new MapPcpResponse(reply));
        refusedCleanly(() -> new ServiceDiscoveryUpnpIgdResponse(reply));
        refusedCleanly(() -> new RootUpnpIgdResponse(root, reply));
        refusedCleanly(() -> new ServiceDescriptionUpnpIgdResponse(reply));
        refusedCleanly(() -> new AddPortMappingUpnpIgdResponse(reply));
        refusedCleanly(() -> new GetExternalIpAddressUpnpIgdResponse(reply));
        refusedCleanly(() -> new DeletePortMappingUpnpIgdResponse(reply));
    }

    private static void refusedCleanly(Runnable parse) {
        try {
            parse.run();
        } catch (RuntimeException refused) {
            // what RouterPortMapping catches
        }
    }
}
