package dev.p2p.dht.net;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.BootstrapResult;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.Identity;
import dev.p2p.dht.LookupResult;
import dev.p2p.dht.store.ContactStore;
import dev.p2p.dht.store.IdentityStore;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A node stopped and started again from its data directory, with no bootstrap address, is back in the network. */
class RestartTest {
    final List<DhtServer> network = new ArrayList<>();
    final InetSocketAddress anyPort = new InetSocketAddress(InetAddress.getLoopbackAddress(), 0);

    @AfterEach
    void stop() {
        network.forEach(DhtServer::close);
    }

    @Test
    void restartedNodeRejoinsFromItsDataDirectory(@TempDir Path dataDir) throws Exception {
        SecureRandom keys = new SecureRandom();
        for (int i = 0; i < 16; i++) {
            network.add(DhtServer.start(Identity.generate(keys), DhtConfig.defaults(), anyPort, null, null));
        }
        InetSocketAddress bootstrap = network.get(0).localAddress();
        for (DhtServer s : network.subList(1, network.size())) {
            s.bootstrap(List.of(bootstrap)).get(10, TimeUnit.SECONDS);
        }

        Identity identity = IdentityStore.loadOrCreate(dataDir);
        DhtServer node = DhtServer.start(identity, DhtConfig.defaults(), anyPort, null, dataDir);
        assertTrue(node.bootstrap(List.of(bootstrap)).get(10, TimeUnit.SECONDS).succeeded());
        int port = node.localAddress().getPort();
        node.close();

        assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(dataDir.resolve(IdentityStore.FILE_NAME))));
        assertFalse(ContactStore.load(dataDir).isEmpty(), "contacts saved on close");

        Identity again = IdentityStore.loadOrCreate(dataDir);
        assertEquals(identity.nodeId(), again.nodeId(), "same identity after restart");
        DhtServer restarted = DhtServer.start(again, DhtConfig.defaults(),
                new InetSocketAddress(InetAddress.getLoopbackAddress(), port), null, dataDir);
        network.add(restarted);
        BootstrapResult rejoin = restarted.bootstrap(List.of()).get(10, TimeUnit.SECONDS);
        assertTrue(rejoin.succeeded(), rejoin.describe());
        assertTrue(rejoin.tried().size() > 1, "rejoined through remembered contacts, not one bootstrap peer");

        LookupResult othersFindIt = network.get(9).lookupNode(again.nodeId()).get(10, TimeUnit.SECONDS);
        assertTrue(othersFindIt.foundTarget(), "others find the restarted node");
        LookupResult itFindsOthers = restarted.lookupNode(network.get(12).id()).get(10, TimeUnit.SECONDS);
        assertTrue(itFindsOthers.foundTarget(), "the restarted node finds others");
    }
}
