package dev.p2p.sim.adversary;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.IdentityProof;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.AddProvider;
import dev.p2p.dht.wire.Message.AddProviderAck;
import dev.p2p.dht.wire.Message.FindNode;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Identify;
import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Pong;
import dev.p2p.dht.wire.Message.Proof;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.Request;
import dev.p2p.dht.wire.Message.Response;
import dev.p2p.sim.SimProofSignatures;
import dev.p2p.sim.adversary.AdversaryConfig.Behaviour;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;

/**
 * One attacker node. It is not a {@code DhtNode}: it is the attacker's own program, speaking the
 * real wire messages. It answers every PING (so honest nodes admit it and keep it), makes itself
 * known by looking up its own id through honest nodes (each one it asks pings it back and takes it
 * in), and then lies in its answers as its {@link Behaviour} says. An eclipse node answers
 * honestly except about its target, where it names only other eclipse nodes and no provider.
 * It never stores a provider record, but says it did.
 */
final class Sybil {
    /** Nodes a newcomer asks for its own id, closest first, to get into their tables. */
    static final int CRAWL_BUDGET = 48;
    /** Honest contacts it remembers. */
    static final int MAX_KNOWN = 512;
    /** Requests whose target shares this many leading bits with the eclipse key count as about it. */
    static final int ECLIPSE_PREFIX_BITS = 20;

    /** What a Sybil needs from the world: its clock, its outbox and timers. */
    interface Outside {
        void send(InetSocketAddress to, Message message);

        void schedule(long delayMillis, Runnable task);
    }

    private final NodeId id;
    private final Identity key;
    private final Behaviour behaviour;
    private final boolean eclipseNode;
    private final int index;
    private final Coalition coalition;
    private final Outside outside;
    private final Random random;
    private final List<Contact> known = new ArrayList<>();
    private final Set<NodeId> knownIds = new HashSet<>();
    private final Set<InetSocketAddress> asked = new HashSet<>();
    private final TreeMap<NodeId, Contact> toAsk = new TreeMap<>();
    private int nextTx;

    /**
     * @param behaviour its lie; ignored by an eclipse node
     * @param index its number among the attacker's nodes, to spread false records over them
     */
    /** @param key its key pair: {@code id} is its SHA-256, or for an eclipse node the id it was ground for */
    Sybil(NodeId id, Identity key, Behaviour behaviour, boolean eclipseNode, int index, Coalition coalition, Outside outside,
            Random random) {
        this.id = id;
        this.key = key;
        this.behaviour = behaviour;
        this.eclipseNode = eclipseNode;
        this.index = index;
        this.coalition = coalition;
        this.outside = outside;
        this.random = random;
    }

    NodeId id() {
        return id;
    }

    Behaviour behaviour() {
        return behaviour;
    }

    boolean isEclipse() {
        return eclipseNode;
    }

    /** Asks {@code seeds} for its own id and keeps asking the closest nodes they name, then now and then some more. */
    void join(List<InetSocketAddress> seeds) {
        for (InetSocketAddress s : seeds) {
            ask(s, id);
        }
        keepKnown();
    }

    private void keepKnown() {
        outside.schedule(4 * 60_000L + random.nextInt(120_000), () -> {
            for (int i = 0; i < 3 && !known.isEmpty(); i++) {
                ask(known.get(random.nextInt(known.size())).address(), NodeId.random(random));
            }
            keepKnown();
        });
    }

    private void ask(InetSocketAddress to, NodeId target) {
        asked.add(to);
        int tx = nextTx++ & 0xffff;
        outside.send(to, new FindNode(new Header(tx, id, false), target));
    }

    void onMessage(InetSocketAddress from, Message m) {
        if (m.header().sender().equals(id)) {
            return;
        }
        if (m instanceof Request r) {
            remember(new Contact(r.header().sender(), from), r.header().clientOnly());
            answer(from, r);
        } else {
            remember(new Contact(m.header().sender(), from), m.header().clientOnly());
            if (m instanceof Nodes n) {
                crawl(n.contacts());
            }
        }
    }

    /** Asks the two closest to its own id of those not asked yet, until the budget is spent. */
    private void crawl(List<Contact> contacts) {
        for (Contact c : contacts) {
            remember(c, false);
            if (!asked.contains(c.address())) {
                toAsk.put(c.id().xor(id), c);
            }
        }
        for (int i = 0; i < 2 && asked.size() < CRAWL_BUDGET && !toAsk.isEmpty(); i++) {
            Contact next = toAsk.pollFirstEntry().getValue();
            if (!asked.contains(next.address())) {
                ask(next.address(), id);
            }
        }
    }

    private void remember(Contact c, boolean clientOnly) {
        if (clientOnly || c.id().equals(id) || coalition.isMember(c.id()) || knownIds.contains(c.id())) {
            return;
        }
        if (known.size() < MAX_KNOWN) {
            known.add(c);
        } else {
            int i = random.nextInt(MAX_KNOWN);
            knownIds.remove(known.get(i).id());
            known.set(i, c);
        }
        knownIds.add(c.id());
    }

    private void answer(InetSocketAddress from, Request r) {
        Header h = new Header(r.header().txId(), id, false);
        NodeId asker = r.header().sender();
        Response response;
        if (r instanceof Ping) {
            response = new Pong(h, from);
        } else if (r instanceof Identify i) {
            response = IdentityProof.answer(SimProofSignatures.INSTANCE, key, h, from, i); // it holds its key: admission lets it in
        } else if (r instanceof AddProvider) {
            if (!eclipseNode && behaviour == Behaviour.DROP) {
                coalition.lies.requestsDropped++;
                return;
            }
            coalition.lies.storesSwallowed++;
            response = new AddProviderAck(h, from, true);
        } else if (!eclipseNode && behaviour == Behaviour.DROP) {
            coalition.lies.requestsDropped++;
            return;
        } else if (r instanceof FindNode f) {
            response = new Nodes(h, from, contactsFor(f.target(), asker, Codec.MAX_CONTACTS), proofFor(f.proveNonce(), asker));
        } else {
            GetProviders g = (GetProviders) r;
            byte[] token = new byte[8];
            random.nextBytes(token);
            if (!eclipseNode && behaviour == Behaviour.FALSE_PROVIDERS) {
                var records = coalition.falseRecords(g.key(), index * Codec.MAX_PROVIDERS, Codec.MAX_PROVIDERS);
                coalition.lies.falseProviderRecords += records.size();
                response = new Providers(h, from, token, records,
                        coalition.sybilsNear(g.key(), Codec.MAX_CONTACTS_WITH_PROVIDERS, asker), proofFor(g.proveNonce(), asker));
            } else {
                response = new Providers(h, from, token, List.of(), contactsFor(g.key(), asker, Codec.MAX_CONTACTS),
                        proofFor(g.proveNonce(), asker));
            }
        }
        outside.send(from, response);
    }

    /** Its proof of its id for a request that asked for one in the answer: it holds its key, so admission lets it in. */
    private Proof proofFor(byte[] nonce, NodeId asker) {
        return nonce == null ? null : IdentityProof.carried(SimProofSignatures.INSTANCE, key, nonce, asker);
    }

    /** The contacts it names for {@code target}: lies for its behaviour, or its honest best. */
    private List<Contact> contactsFor(NodeId target, NodeId asker, int n) {
        if (eclipseNode) {
            if (commonPrefixBits(target, coalition.eclipseKey()) >= ECLIPSE_PREFIX_BITS) {
                coalition.lies.eclipseAnswers++;
                List<Contact> others = coalition.eclipseNear(target, n, asker);
                others.removeIf(c -> c.id().equals(id));
                return others;
            }
            return knownNear(target, n, asker, false);
        }
        switch (behaviour) {
            case WRONG_CONTACTS:
                coalition.lies.wrongContactAnswers++;
                return coalition.sybilsNear(target, n, asker);
            case FAR_CONTACTS:
                coalition.lies.farContactAnswers++;
                return knownNear(target, n, asker, true);
            default:
                return knownNear(target, n, asker, false);
        }
    }

    /** Up to {@code n} honest contacts it knows, closest to {@code target} first (or farthest first). */
    private List<Contact> knownNear(NodeId target, int n, NodeId exclude, boolean farthest) {
        List<Contact> sorted = new ArrayList<>(known);
        sorted.removeIf(c -> c.id().equals(exclude));
        sorted.sort((a, b) -> farthest ? target.compareDistance(b.id(), a.id()) : target.compareDistance(a.id(), b.id()));
        return sorted.size() > n ? new ArrayList<>(sorted.subList(0, n)) : sorted;
    }

    static int commonPrefixBits(NodeId a, NodeId b) {
        int bucket = a.bucketIndex(b);
        return bucket < 0 ? NodeId.BITS : NodeId.BITS - 1 - bucket;
    }
}
