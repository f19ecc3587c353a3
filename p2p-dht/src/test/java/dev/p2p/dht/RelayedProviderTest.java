package dev.p2p.dht;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.MalformedMessageException;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.AddProvider;
import dev.p2p.dht.wire.Message.AddProviderAck;
import dev.p2p.dht.wire.Message.AddRelayedProvider;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.PunchNotify;
import dev.p2p.dht.wire.Message.PunchRequest;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * A provider behind NAT announces "I hold C; reach me through R" (docs/REACHABILITY.md): real
 * nodes in virtual time. A downloader that knows neither the provider nor R finds the record,
 * and its punch request goes to R; nobody can make or redirect such a record but its signer.
 */
class RelayedProviderTest {
    static final int PORT = 7000;

    final VirtualNetwork net = new VirtualNetwork(21);
    final List<DhtNode> publics = new ArrayList<>();
    final DhtNode relay;
    final DhtNode sharer;
    final DhtNode downloader;
    final NodeId key;
    final List<NodeEvent> sharerEvents = new ArrayList<>();
    final List<InetSocketAddress> punchRequestsTo = new ArrayList<>();
    final List<InetSocketAddress> noticesFrom = new ArrayList<>();

    RelayedProviderTest() {
        for (int i = 0; i < 6; i++) {
            publics.add(net.addNode(net.addressOf(i), DhtConfig.defaults()));
        }
        relay = publics.get(0);
        for (int i = 1; i < publics.size(); i++) {
            publics.get(i).bootstrap(List.of(net.addressOf(0)), r -> { });
        }
        net.runFor(5_000);
        sharer = net.addNode(net.addressOf(10), DhtConfig.defaults().withClientOnly(true));
        downloader = net.addNode(net.addressOf(11), DhtConfig.defaults().withClientOnly(true));
        sharer.setEventListener(sharerEvents::add);
        sharer.bootstrap(List.of(net.addressOf(0)), r -> { }); // its relay: the only public peer it talks to
        downloader.bootstrap(List.of(net.addressOf(3)), r -> { }); // knows another one
        net.onSend = (from, to, m) -> {
            if (m instanceof PunchRequest && from.equals(net.addressOf(11))) {
                punchRequestsTo.add(to);
            }
            if (m instanceof PunchNotify && to.equals(net.addressOf(10))) {
                noticesFrom.add(from);
            }
        };
        net.runFor(5_000);
        key = NodeId.random(net.random);
    }

    private ProvideResult provide() {
        ProvideResult[] result = new ProvideResult[1];
        sharer.provide(key, PORT, r -> result[0] = r);
        net.runFor(10_000);
        return result[0];
    }

    private List<Provider> find(DhtNode who) {
        List<Provider> found = new ArrayList<>();
        who.findProviders(key, 0, r -> found.addAll(r.providers()));
        net.runFor(10_000);
        return found;
    }

    @Test
    void aClientAnnouncesThroughItsPublicSeedAndADownloaderWhoKnowsNeitherPunchesThroughIt() {
        assertEquals(new Contact(relay.id(), net.addressOf(0)), sharer.relay(), "its public seed");
        assertTrue(provide().stored() > 0, "stored on the closest public nodes");
        List<Provider> found = find(downloader);
        assertEquals(1, found.size(), found.toString());
        Provider p = found.get(0);
        assertEquals(sharer.id(), p.nodeId());
        assertEquals(new Contact(relay.id(), net.addressOf(0)), p.relay(), "reach me through R");
        assertEquals(new InetSocketAddress(net.addressOf(10).getAddress(), PORT), p.address(), "its NAT's IP as the storers saw it");

        downloader.requestPunch(sharer.id(), 40_000);
        net.runFor(1_000);
        assertEquals(net.addressOf(0), punchRequestsTo.get(0), "the record's relay is asked first: " + punchRequestsTo);
        assertTrue(noticesFrom.contains(net.addressOf(0)), "R told the sharer: " + noticesFrom);
        assertTrue(sharerEvents.contains(new NodeEvent.PunchNotice(downloader.id(), new InetSocketAddress(net.addressOf(11).getAddress(),
                40_000))), "the sharer hears the downloader's address and port: " + sharerEvents);
    }

    @Test
    void aClientWithNoPublicSeedAnnouncesNothingAndAPublicNodeAPlainRecord() {
        DhtNode lonely = net.addNode(net.addressOf(12), DhtConfig.defaults().withClientOnly(true));
        lonely.bootstrap(List.of(net.addressOf(11)), r -> { }); // a client answers, but is no relay
        net.runFor(5_000);
        ProvideResult[] r = new ProvideResult[1];
        lonely.provide(key, PORT, x -> r[0] = x);
        net.runFor(10_000);
        assertEquals(0, r[0].stored(), "no relay, no record that would lead anywhere");

        DhtNode open = publics.get(5);
        open.provide(key, PORT, x -> { });
        net.runFor(10_000);
        List<Provider> found = find(downloader);
        assertEquals(1, found.size(), found.toString());
        assertFalse(found.get(0).relayed(), "a public node's record is plain");
    }

    @Test
    void relayedRecordsGoOnlyToRequestersThatReadThem() throws Exception {
        provide();
        for (int i = 0; i < publics.size(); i++) {
            Providers old = ask(net.addressOf(i), false);
            assertTrue(old.providers().isEmpty(), "an old node is sent no record it cannot read: " + old.providers());
        }
        assertTrue(anyRecord() != null);
    }

    @Test
    void neitherTheRelayNorAnyoneElseCanRedirectOrForgeARelayedRecord() throws Exception {
        provide();
        Provider real = anyRecord();
        Contact elsewhere = new Contact(NodeId.random(net.random), VirtualNetwork.address(10, 66, 0, 1, 9999));
        Provider redirected = new Provider(real.publicKey(), real.address(), real.signature(), elsewhere);
        assertFalse(redirected.verify(key), "another relay breaks the signature");
        assertFalse(new Provider(real.publicKey(), real.address(), real.signature()).verify(key), "nor can it pass as a plain record");

        InetSocketAddress storerAt = net.addressOf(2);
        DhtNode storer = publics.get(2);
        long bad = storer.stats().badProviderSignatures;
        // The relay (or anyone who saw the record) stores it with itself... or someone else as the relay.
        Providers answer = ask(storerAt, true);
        Message forged = new AddRelayedProvider(new Header(7, sharer.id(), true), key, answer.token(), real.publicKey(), PORT,
                elsewhere, real.signature());
        assertFalse(((AddProviderAck) exchange(storerAt, forged)).stored());
        Message asPlain = new AddProvider(new Header(8, sharer.id(), true), key, answer.token(), real.publicKey(), PORT,
                real.signature());
        assertFalse(((AddProviderAck) exchange(storerAt, asPlain)).stored());
        assertEquals(bad + 2, storer.stats().badProviderSignatures);
        for (Provider p : find(downloader)) {
            assertEquals(real.relay(), p.relay(), "the downloader still finds only the real relay");
        }
    }

    @Test
    void aRelayedProvidersAnswerWithSixIpv6RecordsIsNotSent() {
        List<Provider> many = new ArrayList<>();
        for (int i = 0; i < 8; i++) {
            many.add(new Provider(new byte[32], new InetSocketAddress(net.addressOf(1).getAddress(), PORT), new byte[64],
                    new Contact(NodeId.random(net.random), net.addressOf(0))));
        }
        List<Provider> sent = DhtNode.forRequester(many, true);
        assertEquals(Codec.MAX_RELAYED_FORMAT_PROVIDERS, sent.size());
        assertTrue(DhtNode.forRequester(many, false).isEmpty());
    }

    private Provider anyRecord() throws Exception {
        for (int i = 0; i < publics.size(); i++) {
            Providers p = ask(net.addressOf(i), true);
            if (!p.providers().isEmpty()) {
                return p.providers().get(0);
            }
        }
        throw new AssertionError("no public node holds the record");
    }

    private Providers ask(InetSocketAddress to, boolean readsRelayed) throws Exception {
        return (Providers) exchange(to, new GetProviders(new Header(5, NodeId.random(net.random), true), key, readsRelayed));
    }

    /** Sends {@code m} from an attacker's address and returns the answer. */
    private Message exchange(InetSocketAddress to, Message m) throws MalformedMessageException {
        InetSocketAddress attacker = VirtualNetwork.address(10, 9, 9, 9, 5555);
        byte[][] reply = new byte[1][];
        net.attach(attacker, (from, bytes) -> reply[0] = bytes);
        net.deliver(attacker, to, Codec.encode(m));
        net.runFor(1_000);
        net.detach(attacker);
        assertNotNull(reply[0], "answered");
        return Codec.decode(reply[0]);
    }
}
