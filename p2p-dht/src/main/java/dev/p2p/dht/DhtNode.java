package dev.p2p.dht;

import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.MalformedMessageException;
import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.AddProvider;
import dev.p2p.dht.wire.Message.AddProviderAck;
import dev.p2p.dht.wire.Message.AddRelayedProvider;
import dev.p2p.dht.wire.Message.CircuitNotify;
import dev.p2p.dht.wire.Message.FindNode;
import dev.p2p.dht.wire.Message.GetProviders;
import dev.p2p.dht.wire.Message.Header;
import dev.p2p.dht.wire.Message.Identify;
import dev.p2p.dht.wire.Message.Leave;
import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Ping;
import dev.p2p.dht.wire.Message.Pong;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.PunchNotify;
import dev.p2p.dht.wire.Message.PunchRequest;
import dev.p2p.dht.wire.Message.Response;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A Kademlia node as a state machine without I/O. Inputs: {@link #onDatagram} / {@link #onMessage}
 * (a datagram arrived) and the timers it set through its {@link Environment}; outputs: datagrams
 * through {@link Environment#send}, and {@link NodeEvent}s for its host. Every method must be
 * called on the node's own thread, so no state here needs a lock; the Netty runtime and the
 * simulator both guarantee that.
 *
 * <p>The node's policies are small collaborators it owns, each with its own timer at most:
 * {@link Rejoin} (pings lost contacts and seeds again, to heal partitions), {@link Keepalive}
 * (a client keeps its NAT's mapping to its seeds open), {@link PunchRelay} (relays hole-punch
 * requests to the clients it knows) and {@link ReachabilityEvidence} (decides at run time whether
 * our messages say CLIENT_ONLY).
 *
 * <p>Trust: a contact enters the routing table only after it answered a request of ours at the
 * address we sent to (answers are matched by address and transaction id) and proved there that it
 * holds the private key of its id ({@link Admission}); a lookup counts only proven nodes as
 * results, and a provider search counts a record only once its provider proved itself at the
 * record's address. A node that only sends
 * us requests is pinged first; one that says it is unreachable (client-only) is never added.
 * Provider records are accepted only with a valid signature and a store token we issued to the
 * sender's IP, and the IP recorded is the packet's source, never a claim.
 */
public final class DhtNode implements Lookup.Network {
    private static final long TOKEN_ROTATION_MILLIS = 5 * 60_000L;
    private static final int MAX_VERIFYING = 64;
    private static final int MAX_REFRESHES_PER_TICK = 4;
    /**
     * How often each bucket pings its contacts not heard from for as long. Under churn with
     * 30-minute sessions a contact that left stays in the table for about this long plus half of
     * it unless a request finds out sooner: at 15 minutes 15% of entries were stale, at 5 minutes
     * 7%, at 3 minutes 4.6% for 13% more datagrams than at 5.
     */
    private static final long SWEEP_INTERVAL_MILLIS = 3 * 60_000L;
    /** Contacts named to others are those heard from within this ({@link #handOutWithinMillis}). */
    private static final long HAND_OUT_WITHIN_MILLIS = 5 * 60_000L;
    /** Addresses whose round trips are remembered one by one: about a routing table's worth. */
    private static final int RTT_CONTACTS = 256;
    /**
     * The least a lookup request waits before it counts as failed: above the slowest round trips
     * between live nodes, so a far node that is merely slow is not given up on (a lookup asks
     * someone else at its slow mark anyway, and lets it go there when closer nodes answered).
     */
    private static final long LOOKUP_MIN_TIMEOUT_MILLIS = 400;
    /**
     * Nodes that asked us something, remembered to be told when we leave: whoever holds us in its
     * table pings us at least every sweep interval or so, and asks us in its lookups.
     */
    private static final int REQUESTERS_REMEMBERED = 512;
    /** Contacts closest to a punch target asked to relay, beside the seeds. */
    private static final int PUNCH_VIA_CONTACTS = 8;
    /** Providers whose relay we remember from relayed records. */
    static final int MAX_KNOWN_RELAYS = 1024;
    private static final java.net.InetAddress UNSPECIFIED = unspecified();

    private final Identity identity;
    private final NodeId self;
    private final DhtConfig config;
    private final Environment env;
    private final RoutingTable table;
    private final DhtStats stats = new DhtStats();
    private final RequestTracker requests;
    private final ProviderStore providerStore;
    private final StoreTokens tokens;
    private final ObservedAddresses observed = new ObservedAddresses();
    private final SourceRateLimiter rateLimiter;
    private final Map<NodeId, Announcement> provided = new LinkedHashMap<>();
    private final Set<InetSocketAddress> verifying = new HashSet<>();
    /** Contacts of ours with a ping out to see whether they are still there. */
    private final Set<NodeId> beingPinged = new HashSet<>();
    /** Who asked us something lately, by address: told when we leave ({@link #leave}). */
    private final LruMap<InetSocketAddress, NodeId> requesters = new LruMap<>(REQUESTERS_REMEMBERED);
    private final Rejoin rejoin;
    private final Keepalive keepalive;
    private final PunchRelay punchRelay = new PunchRelay();
    /** Seeds that answered us as public nodes, by address: where a client's relayed records point. */
    private final Map<InetSocketAddress, NodeId> publicSeeds = new HashMap<>();
    /** The relays of providers we found in relayed records, by provider: where punch requests for them go. */
    private final LruMap<NodeId, Contact> relayOf = new LruMap<>(MAX_KNOWN_RELAYS);
    private final ReachabilityEvidence reachability;
    private final Admission admission;
    private final NetworkSizeEstimate networkSize = new NetworkSizeEstimate();
    private Consumer<NodeEvent> events = e -> { };
    private boolean bootstrapping;
    private boolean running;
    private boolean clientOnly;
    private long lastTokenRotation;
    private Cancellable maintenance;

    /** What this node provides: on which port, and when to announce it again. */
    private static final class Announcement {
        final int port;
        long nextAt;

        Announcement(int port) {
            this.port = port;
        }
    }

    /** A node whose CLIENT_ONLY flag is the configuration's, for good. */
    public DhtNode(Identity identity, DhtConfig config, Environment env) {
        this(identity, config, env, null);
    }

    /**
     * @param reachability the run-time decision whether we can be reached (the node feeds it and
     *     follows it: CLIENT_ONLY while it is not PUBLIC), or null for the configuration's flag
     */
    public DhtNode(Identity identity, DhtConfig config, Environment env, Reachability reachability) {
        this.identity = identity;
        this.self = identity.nodeId();
        this.config = config;
        this.env = env;
        this.table = new RoutingTable(self, config);
        this.reachability = new ReachabilityEvidence(reachability, config.clientOnly(), env, observed, this::reachabilityChanged);
        this.requests = new RequestTracker(env, new ContactRtts(config.minRequestTimeout(), config.maxRequestTimeout(), RTT_CONTACTS), stats,
                config.maxRequestTimeout(), this.reachability::sentTo);
        this.providerStore = new ProviderStore(config.maxStoredProviders(), config.maxProvidersPerKey());
        this.tokens = new StoreTokens(env.random());
        this.rateLimiter = new SourceRateLimiter(config.maxDatagramsPerSecondPerSource());
        this.clientOnly = this.reachability.clientOnly();
        this.rejoin = new Rejoin(env, table, this::verify);
        this.keepalive = new Keepalive(env, this::pingSeeds);
        this.admission = new Admission(self, env, (to, nonce, callback) ->
                requests.send(to, tx -> new Identify(header(tx), nonce), config.requestAttempts(), callback), table::knows);
        table.onRemoved(rejoin::lost);
        table.onPromoted(this::pingPromoted);
    }

    // ---- getters

    public NodeId id() {
        return self;
    }

    public Identity identity() {
        return identity;
    }

    public DhtConfig config() {
        return config;
    }

    public RoutingTable routingTable() {
        return table;
    }

    public ProviderStore providerStore() {
        return providerStore;
    }

    public DhtStats stats() {
        return stats;
    }

    public boolean isRunning() {
        return running;
    }

    /** Whether our messages say we cannot be reached (CLIENT_ONLY): starts as configured. */
    public boolean isClientOnly() {
        return clientOnly;
    }

    /** From now on our messages carry this flag (a run-time {@link Reachability} decision sets it itself). */
    public void setClientOnly(boolean value) {
        clientOnly = value;
        keepalive.set(running && value);
    }

    /** The run-time reachability decision now, or null when the configuration fixes the flag. */
    public Reachability.Status reachabilityStatus() {
        return reachability.status();
    }

    /** One line for a person: the reachability decision and why. */
    public String reachabilityReason() {
        return reachability.reason();
    }

    /**
     * The router in front of this host forwards {@code external} to our port (a port mapping it
     * granted), or (null) no longer does: evidence for the run-time reachability decision.
     */
    public void onPortMapped(InetSocketAddress external) {
        reachability.portMapped(external);
    }

    /** {@code listener} is told, on the node's thread, of punch notices and reachability changes. */
    public void setEventListener(Consumer<NodeEvent> listener) {
        events = listener;
    }

    /** Pings {@code address}; if a node answers there, it is offered to the routing table. */
    public void probe(InetSocketAddress address) {
        verify(address);
    }

    /** Our address as most peers that answered us see it, or null before anyone told us. */
    public InetSocketAddress observedAddress() {
        return observed.best();
    }

    // ---- lifecycle

    /** Arms the periodic maintenance: bucket refresh, expiry, token rotation, republish, re-bootstrap. */
    public void start() {
        if (running) {
            return;
        }
        running = true;
        lastTokenRotation = env.nowMillis();
        scheduleMaintenance();
        rejoin.start();
        keepalive.set(clientOnly);
        reachability.start();
    }

    /** Cancels every timer and request; pending callbacks are not called. */
    public void stop() {
        running = false;
        if (maintenance != null) {
            maintenance.cancel();
        }
        requests.cancelAll();
        rejoin.stop();
        keepalive.set(false);
        reachability.stop();
        verifying.clear();
        beingPinged.clear();
        admission.clear();
    }

    /**
     * Leaves the network on purpose, then {@link #stop}s: tells each node that may hold us in its
     * table (our contacts, and whoever asked us something lately) with a signed LEAVE, so it
     * drops us now rather than after a request to us times out. A client is in nobody's table
     * and tells nobody.
     */
    public void leave() {
        if (running && !clientOnly) {
            Map<InetSocketAddress, NodeId> audience = new LinkedHashMap<>(requesters);
            for (Contact c : table.contacts()) {
                audience.putIfAbsent(c.address(), c.id());
            }
            for (Map.Entry<InetSocketAddress, NodeId> e : audience.entrySet()) {
                stats.leaveNoticesSent++;
                send(e.getKey(), DepartureNotice.to(e.getValue(), identity, env.proofSignatures()));
            }
        }
        stop();
    }

    /** Puts contacts remembered from an earlier run back in the table; they are verified when next used. */
    public void restoreContacts(List<Contact> contacts) {
        long now = env.nowMillis();
        for (Contact c : contacts) {
            table.offer(c, now);
        }
    }

    // ---- inputs

    /** A raw datagram arrived; malformed ones are counted and dropped. */
    public void onDatagram(InetSocketAddress from, byte[] datagram) {
        if (!admit(from)) {
            return;
        }
        Message m;
        try {
            m = Codec.decode(datagram);
        } catch (MalformedMessageException e) {
            stats.malformedDropped++;
            return;
        }
        handle(from, m);
    }

    /** A decoded message arrived from {@code from} (the simulator's way in: no bytes to parse). */
    public void onMessage(InetSocketAddress from, Message message) {
        if (admit(from)) {
            handle(from, message);
        }
    }

    private boolean admit(InetSocketAddress from) {
        if (!running) {
            return false;
        }
        if (!rateLimiter.admit(from, env.nowMillis())) {
            stats.rateLimited++;
            return false;
        }
        return true;
    }

    private void handle(InetSocketAddress from, Message message) {
        Header h = message.header();
        if (h.sender().equals(self)) {
            return;
        }
        stats.messagesIn++;
        reachability.beforeHandling(from, message);
        Response answer = switch (message.kind()) {
            case PING -> new Pong(replyHeader(h), from);
            case IDENTIFY -> IdentityProof.answer(env.proofSignatures(), identity, replyHeader(h), from, (Identify) message);
            case FIND_NODE -> new Nodes(replyHeader(h), from,
                    namedFor(((FindNode) message).target(), Codec.MAX_CONTACTS, h.sender()),
                    proofFor(((FindNode) message).proveNonce(), h.sender()));
            case GET_PROVIDERS -> providers(from, (GetProviders) message);
            case ADD_PROVIDER -> {
                AddProvider a = (AddProvider) message;
                yield new AddProviderAck(replyHeader(h), from, store(from, h.sender(), a.key(), a.token(),
                        new Provider(a.publicKey(), new InetSocketAddress(from.getAddress(), a.port()), a.signature())));
            }
            case ADD_RELAYED_PROVIDER -> {
                AddRelayedProvider a = (AddRelayedProvider) message;
                yield new AddProviderAck(replyHeader(h), from, store(from, h.sender(), a.key(), a.token(),
                        new Provider(a.publicKey(), new InetSocketAddress(from.getAddress(), a.port()), a.signature(), a.relay())));
            }
            case PONG, NODES, PROVIDERS, ADD_PROVIDER_ACK, IDENTITY -> {
                if (!requests.complete(from, (Response) message)) {
                    stats.unexpectedResponses++;
                }
                yield null;
            }
            case PUNCH_REQUEST -> {
                relayPunch(from, (PunchRequest) message);
                yield null;
            }
            case PUNCH_NOTIFY -> {
                onPunchNotice(from, (PunchNotify) message);
                yield null;
            }
            case LEAVE -> {
                onLeave(from, (Leave) message);
                yield null;
            }
            case CIRCUIT_NOTIFY -> {
                if (reachability.contacted(from)) { // as for punch notices: only a peer we sent to makes us dial out
                    events.accept(new NodeEvent.CircuitNotice(from, ((CircuitNotify) message).token()));
                }
                yield null;
            }
        };
        if (answer != null) {
            stats.requestsIn++;
            punchRelay.onRequest(h.sender(), h.clientOnly(), from);
            requesters.put(from, h.sender());
            send(from, answer);
            considerRequester(from, h);
        }
        reachability.afterHandling();
    }

    /**
     * A public node passes a punch request on to the client it names, if it knows where that
     * client's NAT lets it in; nothing is answered, so a request costs the relay one datagram at
     * most and amplifies nothing. A client cannot relay: nobody could punch through its NAT anyway.
     */
    private void relayPunch(InetSocketAddress from, PunchRequest p) {
        InetSocketAddress client = punchRelay.client(p.target());
        if (client != null && !clientOnly) {
            send(client, new PunchNotify(new Header(0, self, false), p.header().sender(),
                    new InetSocketAddress(from.getAddress(), p.port())));
        }
    }

    /**
     * As a relay: tells client {@code target}, at the address its requests come from, that a
     * circuit with {@code token} waits for it. False when we know no such client or are not public.
     */
    /** As a relay: whether we could tell client {@code target} of a circuit (it talks to us lately, and we are public). */
    public boolean knowsClient(NodeId target) {
        return !clientOnly && punchRelay.client(target) != null;
    }

    public boolean notifyCircuit(NodeId target, byte[] token) {
        InetSocketAddress client = punchRelay.client(target);
        if (client == null || clientOnly) {
            return false;
        }
        send(client, new CircuitNotify(new Header(0, self, false), token));
        return true;
    }

    /**
     * A contact of ours says it leaves: believed only at the address where it proved its id, and
     * only signed by its key for us (the signature is checked after the cheap test, so notices
     * from strangers cost no curve operation).
     */
    private void onLeave(InetSocketAddress from, Leave notice) {
        NodeId leaver = notice.header().sender();
        if (table.holds(leaver, from) && DepartureNotice.holds(notice, self, env.keyIds(), env.proofSignatures())) {
            stats.leaveNoticesHeeded++;
            table.departed(leaver, from);
            requesters.remove(from); // nobody there to tell when we leave
        }
    }

    /** Only a peer we sent to may make us dial out: nobody else can point our connections at a victim. */
    private void onPunchNotice(InetSocketAddress from, PunchNotify n) {
        if (reachability.contacted(from)) {
            events.accept(new NodeEvent.PunchNotice(n.requester(), n.address()));
        }
    }

    private void reachabilityChanged(Reachability.Status status) {
        boolean wasClient = clientOnly;
        setClientOnly(status != Reachability.Status.PUBLIC);
        if (wasClient != clientOnly) {
            for (Map.Entry<NodeId, Announcement> e : new ArrayList<>(provided.entrySet())) {
                announce(e.getKey(), e.getValue(), r -> { }); // in the form that fits now: plain or relayed
            }
        }
        events.accept(new NodeEvent.ReachabilityChanged(status));
    }

    private void send(InetSocketAddress to, Message m) {
        stats.messagesOut++;
        reachability.sentTo(to);
        env.send(to, m);
    }

    // ---- operations

    /**
     * Joins through {@code bootstrap} addresses: asks each for nodes near our own id, looks up our
     * own id starting from the nodes they named, then pings those of them the lookup did not ask,
     * so they may enter the table too (and learn of us). Pinging every named node first, as this
     * did, pinged most of them twice over: the lookup asked them a moment later anyway. The
     * addresses are kept, to join again if the table ever empties.
     */
    public void bootstrap(List<InetSocketAddress> bootstrap, Consumer<BootstrapResult> done) {
        rejoin.seeds(bootstrap);
        List<InetSocketAddress> seeds = rejoin.seeds();
        bootstrapping = true;
        List<InetSocketAddress> answered = new ArrayList<>();
        List<Contact> named = new ArrayList<>();
        int[] outstanding = {seeds.size()};
        Runnable oneDone = () -> {
            if (--outstanding[0] == 0) {
                startLookup(self, named, false, 0, 1, l -> {
                    for (Contact c : named) {
                        if (!l.asked(c) && !table.contains(c.id())) {
                            verify(c.address());
                        }
                    }
                    bootstrapping = false;
                    done.accept(new BootstrapResult(answered, seeds, table.size()));
                });
            }
        };
        if (seeds.isEmpty()) {
            outstanding[0] = 1;
            oneDone.run();
            return;
        }
        for (InetSocketAddress seed : seeds) {
            requests.send(seed, tx -> new FindNode(header(tx), self), config.requestAttempts(), new RequestTracker.Callback() {
                @Override
                public void onResponse(Response response, long rttMillis) {
                    answered.add(seed);
                    seedAnswered(seed, response);
                    learnFrom(seed, response);
                    named.addAll(usableContacts(null, ((Nodes) response).contacts()));
                    oneDone.run();
                }

                @Override
                public void onTimeout() {
                    oneDone.run();
                }
            });
        }
    }

    /** Finds the k nodes closest to {@code target}. */
    public void lookupNode(NodeId target, Consumer<LookupResult> done) {
        startLookup(target, false, 0, 1, l -> done.accept(new LookupResult(target, l.closestContacts(config.k()), l.hops(),
                l.queried(), env.nowMillis() - l.startedAt)));
    }

    /** Finds providers of {@code key}, stopping early once {@code wanted} are found (0 = search fully). */
    public void findProviders(NodeId key, int wanted, Consumer<ProvidersResult> done) {
        findProviders(key, wanted, p -> { }, done);
    }

    /**
     * As {@link #findProviders(NodeId, int, Consumer)}, and hands each provider to {@code onFound}
     * as soon as its record is verified, before the search ends: a download can start at the
     * first provider while the search goes on for more. Records this node stores come first.
     */
    public void findProviders(NodeId key, int wanted, Consumer<Provider> onFound, Consumer<ProvidersResult> done) {
        long now = env.nowMillis();
        List<Provider> local = ownAddressed(providerStore.get(key, Codec.MAX_PROVIDERS, now));
        Set<NodeId> handedOut = new HashSet<>();
        Consumer<Provider> once = p -> {
            if (handedOut.add(p.nodeId())) {
                onFound.accept(p);
            }
        };
        local.forEach(this::rememberRelay);
        local.forEach(once);
        startLookup(key, List.of(), true, wanted, config.disjointPaths(), l -> l.onEachProvider(once), l -> {
            l.addProviders(local);
            done.accept(new ProvidersResult(key, l.providersFound(), l.closestContacts(config.k()),
                    l.hops(), l.queried(), env.nowMillis() - l.startedAt));
        });
    }

    /**
     * Announces that this node serves {@code key} on TCP {@code port}, now and again every
     * republish interval until {@link #stopProviding}. {@code port} must also be where peers reach
     * this node's DHT over UDP (the same number, or the router's under a port mapping): searchers
     * count the record only once this node answered IDENTIFY there (docs/DHT-PROTOCOL.md).
     */
    public void provide(NodeId key, int port, Consumer<ProvideResult> done) {
        Announcement a = new Announcement(port);
        provided.put(key, a);
        announce(key, a, done);
    }

    public void stopProviding(NodeId key) {
        provided.remove(key);
    }

    /**
     * Asks public peers (our bootstrap seeds and our contacts closest to {@code target}) to tell
     * client {@code target} to open a TCP connection to us, from and to {@code port}, now (hole
     * punching, docs/REACHABILITY.md). Nothing is answered. Returns how many peers were asked.
     */
    public int requestPunch(NodeId target, int port) {
        List<InetSocketAddress> via = new ArrayList<>();
        Contact relay = relayOf.get(target);
        if (relay != null) {
            via.add(relay.address()); // the one the target named in its record: it keeps a mapping open to it
        }
        for (InetSocketAddress seed : rejoin.seeds()) {
            if (!via.contains(seed)) {
                via.add(seed);
            }
        }
        for (Contact c : table.closest(target, PUNCH_VIA_CONTACTS)) {
            if (!via.contains(c.address())) {
                via.add(c.address());
            }
        }
        PunchRequest request = new PunchRequest(new Header(0, self, false), target, port);
        for (InetSocketAddress v : via) {
            send(v, request);
        }
        return via.size();
    }

    /** A provider's relay, from a verified relayed record: where punch requests for it go. */
    private void rememberRelay(Provider p) {
        if (p.relayed()) {
            relayOf.put(p.nodeId(), p.relay());
        }
    }

    /**
     * Punch requests for {@code provider} go to {@code relay} too: a relay a link names. A link
     * is a claim of whoever wrote it; the worst a wrong relay costs is one datagram per punch.
     */
    public void rememberRelay(NodeId provider, Contact relay) {
        if (relay.isUsable()) {
            relayOf.put(provider, relay);
        }
    }

    /**
     * The public peer this node's relayed records name: the first seed that answered us as a
     * public node (a client keeps its NAT's mapping towards its seeds open, {@link Keepalive}),
     * or null when none did.
     */
    public Contact relay() {
        List<Contact> all = relays();
        return all.isEmpty() ? null : all.get(0);
    }

    /**
     * Every seed that answered us as a public node, in the order of {@link #relay}: each keeps our
     * NAT's mapping open and knows us as a client, so each can relay to us; a link names several,
     * so a downloader has another when one breaks its circuits.
     */
    public List<Contact> relays() {
        List<Contact> out = new ArrayList<>();
        for (InetSocketAddress seed : rejoin.seeds()) {
            NodeId id = publicSeeds.get(seed);
            if (id != null) {
                out.add(new Contact(id, seed));
            }
        }
        return out;
    }

    /** The relay this node knows for provider {@code id} from a relayed record, or null. */
    public Contact relayOf(NodeId id) {
        return relayOf.get(id);
    }

    /** Keys this node currently announces, in the order first provided. */
    public List<NodeId> providedKeys() {
        return new ArrayList<>(provided.keySet());
    }

    // ---- Lookup.Network

    @Override
    public void query(Contact to, boolean forProviders, NodeId target, RequestTracker.Callback callback) {
        // An unproven node proves its id inside its answer (flag PROVE): no IDENTIFY beside the
        // request, so a departed one costs one timed-out request, not two. A proof already under
        // way (an IDENTIFY sent for another reason) is waited for instead.
        boolean carried = !admission.isProven(to.id(), to.address()) && !admission.isProving(to.id(), to.address());
        byte[] nonce = carried ? admission.carriedNonce() : null;
        ProvenAnswer proof = carried ? null : new ProvenAnswer(admission, to);
        requests.send(to.address(), tx -> forProviders ? new GetProviders(header(tx), target, true, nonce)
                : new FindNode(header(tx), target, nonce), 1, LOOKUP_MIN_TIMEOUT_MILLIS, new RequestTracker.SlowAware() {
                    @Override
                    public void onSlow() {
                        if (callback instanceof RequestTracker.SlowAware slowAware) {
                            slowAware.onSlow();
                        }
                    }

                    @Override
                    public void onResponse(Response response, long rttMillis) {
                        if (!response.header().sender().equals(to.id())) {
                            table.remove(to.id()); // another node now answers at that address
                            callback.onTimeout();
                            return;
                        }
                        if (carried) {
                            if (!admission.acceptCarried(to, nonce, response)) {
                                callback.onTimeout(); // no proof, or a forged one: counts as no answer
                                return;
                            }
                            learnFrom(to.address(), response);
                            callback.onResponse(response, rttMillis);
                            return;
                        }
                        learnFrom(to.address(), response);
                        proof.then(() -> callback.onResponse(response, rttMillis), callback::onTimeout);
                    }

                    @Override
                    public void onTimeout() {
                        table.failed(to.id());
                        callback.onTimeout();
                    }

                    @Override
                    public void onLateResponse(Response response) {
                        if (!response.header().sender().equals(to.id())) {
                            return;
                        }
                        if (carried) {
                            if (admission.acceptCarried(to, nonce, response)) {
                                learnFrom(to.address(), response); // slow, not gone: back in good standing
                                callback.onLateResponse(response);
                            }
                            return;
                        }
                        learnFrom(to.address(), response); // slow, not gone: back in good standing
                        proof.then(() -> callback.onLateResponse(response), () -> { });
                    }
                });
    }

    @Override
    public List<Contact> usableContacts(Contact from, List<Contact> contacts) {
        if (allUsable(contacts)) {
            return contacts; // the usual case: no copy
        }
        List<Contact> ok = new ArrayList<>(contacts.size());
        boolean junk = false;
        for (Contact c : contacts) {
            if (c.isUsable()) {
                ok.add(c);
            } else {
                junk = true;
            }
        }
        if (junk && from != null) {
            stats.junkResponses++;
            table.demote(from.id());
        }
        return ok;
    }

    private static boolean allUsable(List<Contact> contacts) {
        for (int i = 0; i < contacts.size(); i++) {
            if (!contacts.get(i).isUsable()) {
                return false;
            }
        }
        return true;
    }

    @Override
    public List<Provider> validProviders(Contact from, NodeId key, List<Provider> providers) {
        List<Provider> ok = new ArrayList<>(providers.size());
        for (Provider p : providers) {
            if (p.verify(key)) {
                // A node's record of itself says "me": it is where we just reached it, whatever
                // address it stored (it may not know its public one). The IP is not signed; the port is.
                boolean itself = p.nodeId().equals(from.id());
                ok.add(itself ? p.at(new InetSocketAddress(from.address().getAddress(), p.address().getPort())) : p);
                rememberRelay(p);
            } else {
                stats.badProviderSignatures++;
                table.demote(from.id());
            }
        }
        return ok;
    }

    /**
     * A provider record counts once its provider proved its id at the record's address (the
     * record's port is the provider's DHT port, and its transfer port too); a record pointing
     * where nothing answers, or where another node answers, never does. One proven already (a
     * contact of our table there, or a recent proof) counts at once, without a round trip.
     * Relayed records are not checked ({@link ProviderChecks}).
     */
    @Override
    public void checkProvider(Provider p, Consumer<Boolean> done) {
        InetSocketAddress at = p.address();
        if (at.getPort() == 0 || at.getAddress().isAnyLocalAddress() || at.getAddress().isMulticastAddress()) {
            done.accept(false);
            return;
        }
        admission.prove(p.nodeId(), at, done);
    }

    @Override
    public long now() {
        return env.nowMillis();
    }

    // ---- internals

    private static java.net.InetAddress unspecified() {
        try {
            return java.net.InetAddress.getByAddress(new byte[4]);
        } catch (java.net.UnknownHostException e) {
            throw new IllegalStateException(e);
        }
    }

    private Header header(int txId) {
        return new Header(txId, self, clientOnly);
    }

    /**
     * Starts a lookup over {@code paths} disjoint paths: 1 for node lookups and announcing (they
     * want the k closest, fast), {@link DhtConfig#disjointPaths()} for finding content, which
     * hostile nodes would most like to hide.
     */
    private void startLookup(NodeId target, boolean forProviders, int wanted, int paths, Consumer<Lookup> onDone) {
        startLookup(target, List.of(), forProviders, wanted, paths, onDone);
    }

    private void startLookup(NodeId target, List<Contact> named, boolean forProviders, int wanted, int paths,
            Consumer<Lookup> onDone) {
        startLookup(target, named, forProviders, wanted, paths, l -> { }, onDone);
    }

    /**
     * A search that ends at its first providers has someone waiting for it (a download), and most
     * of its time is its first two hops: it keeps twice alpha in flight on each path, so each
     * hop's fastest answer comes sooner. Such searches are one per download, few beside the node
     * lookups and refreshes, so the extra requests cost little.
     *
     * @param prepare sees the lookup before its first request goes out
     */
    private void startLookup(NodeId target, List<Contact> named, boolean forProviders, int wanted, int paths,
            Consumer<Lookup> prepare, Consumer<Lookup> onDone) {
        stats.lookupsStarted++;
        table.lookedUp(target, env.nowMillis());
        List<Contact> start = table.closest(target, config.k() * paths);
        if (!named.isEmpty()) {
            start = new ArrayList<>(start);
            start.addAll(named); // the paths' iterators keep their candidates in order of distance
        }
        int alpha = forProviders && wanted > 0 ? Math.min(config.k(), 2 * config.alpha()) : config.alpha();
        Lookup lookup = new Lookup(target, start, paths,
                () -> new ClosestPeersIterator(target, self, config.k(), alpha), forProviders, wanted, this, l -> {
                    stats.lookupsFinished++;
                    networkSize.add(target, l.closestContacts(config.k()));
                    onDone.accept(l);
                });
        prepare.accept(lookup);
        lookup.countOnlyFrom(networkSize.suspicionFloor()).advance();
    }

    /**
     * Stores our record on the nodes closest to {@code key}: a plain one while we are public; while
     * we are a client, a relayed one naming {@link #relay()} (none while we know no public seed).
     */
    private void announce(NodeId key, Announcement a, Consumer<ProvideResult> done) {
        a.nextAt = env.nowMillis() + config.republishInterval();
        Contact relay = clientOnly ? relay() : null;
        if (clientOnly && relay == null) {
            done.accept(new ProvideResult(key, 0, 0));
            return;
        }
        InetSocketAddress unspecified = new InetSocketAddress(UNSPECIFIED, a.port);
        Provider mine = relay == null ? Provider.sign(identity, key, unspecified) : Provider.signRelayed(identity, key, unspecified, relay);
        startLookup(key, true, 0, 1, l -> {
            List<Contact> closest = l.closestContacts(config.k());
            int[] counts = {0, 0}; // stored, outstanding
            if (closest.size() < config.k() || key.compareDistance(self, closest.get(closest.size() - 1).id()) < 0) {
                // Stored under the unspecified address: askers replace it with the address they reached us at.
                if (providerStore.put(key, mine, env.nowMillis() + config.providerTtl())) {
                    counts[0]++;
                }
            }
            List<Contact> targets = new ArrayList<>();
            for (Contact c : closest) {
                if (l.tokens.containsKey(c.id())) {
                    targets.add(c);
                }
            }
            counts[1] = targets.size();
            if (targets.isEmpty()) {
                done.accept(new ProvideResult(key, counts[0], 0));
                return;
            }
            for (Contact c : targets) {
                byte[] token = l.tokens.get(c.id());
                requests.send(c.address(), tx -> relay == null
                                ? new AddProvider(header(tx), key, token, identity.publicKey(), a.port, mine.signature())
                                : new AddRelayedProvider(header(tx), key, token, identity.publicKey(), a.port, relay, mine.signature()),
                        config.requestAttempts(), new RequestTracker.Callback() {
                            @Override
                            public void onResponse(Response response, long rttMillis) {
                                if (((AddProviderAck) response).stored()) {
                                    counts[0]++;
                                }
                                finishOne();
                            }

                            @Override
                            public void onTimeout() {
                                finishOne();
                            }

                            private void finishOne() {
                                if (--counts[1] == 0) {
                                    done.accept(new ProvideResult(key, counts[0], targets.size()));
                                }
                            }
                        });
            }
        });
    }

    private Header replyHeader(Header request) {
        return new Header(request.txId(), self, clientOnly);
    }

    private Providers providers(InetSocketAddress from, GetProviders g) {
        List<Provider> found = forRequester(ownAddressed(providerStore.get(g.key(), Codec.MAX_PROVIDERS, env.nowMillis())),
                g.relayed());
        int room = found.isEmpty() ? Codec.MAX_CONTACTS : Codec.MAX_CONTACTS_WITH_PROVIDERS;
        Providers answer = new Providers(replyHeader(g.header()), from, tokens.issue(from.getAddress().getAddress()), found,
                namedFor(g.key(), room, g.header().sender()), proofFor(g.proveNonce(), g.header().sender()));
        return Codec.withinDatagram(answer);
    }

    /**
     * Our proof of our id for a lookup request that asked for one (flag PROVE), or null. It costs
     * a signature, as answering IDENTIFY does, and like it is bounded by the inbound rate limit.
     */
    private Message.Proof proofFor(byte[] nonce, NodeId requester) {
        return nonce == null ? null : IdentityProof.carried(env.proofSignatures(), identity, nonce, requester);
    }

    /**
     * The contacts we name to {@code requester} for {@code target}: our closest, but at most
     * {@link NetworkSizeEstimate#MAX_SUSPICIOUS_NAMED} suspiciously close ones, so that ids
     * clustered next to a key cannot fill every answer about it and hide the honest nodes beyond.
     */
    private List<Contact> namedFor(NodeId target, int n, NodeId requester) {
        long now = env.nowMillis();
        long heardWithin = handOutWithinMillis();
        List<Contact> closest = table.closestForOthers(target, n, requester, now, heardWithin);
        long floor = networkSize.suspicionFloor();
        if (!NetworkSizeEstimate.crowded(target, closest, floor)) {
            return closest;
        }
        return NetworkSizeEstimate.spreadOut(target, table.closestForOthers(target, 2 * n, requester, now, heardWithin), n, floor);
    }

    /**
     * How lately a contact must have been heard from to be named to others first (others fill an
     * answer only when too few were). Under churn a contact silent for a while has left one time
     * in ten or more, and costs whoever asks it a timed-out request. The ping sweep hears a live
     * contact within 2 x (sweep + tick) = 8 minutes; naming only those heard within 5 left out
     * enough departed ones to save 12% of timed-out lookup requests on bench-10k-1h and made
     * lookups faster, where 3 minutes lost lookups (docs/BENCHMARKS-sim.md).
     */
    private long handOutWithinMillis() {
        return HAND_OUT_WITHIN_MILLIS;
    }

    /**
     * Our own record is stored under the unspecified address (we may not know our public one);
     * before it leaves the store it gets the IP most peers see us at, and without one it is left
     * out: 0.0.0.0 would make a peer elsewhere dial itself.
     */
    private List<Provider> ownAddressed(List<Provider> records) {
        for (int i = 0; i < records.size(); i++) {
            Provider p = records.get(i);
            if (p.address().getAddress().isAnyLocalAddress()) {
                List<Provider> out = new ArrayList<>(records);
                InetSocketAddress seen = observed.best();
                if (seen == null) {
                    out.remove(i);
                } else {
                    out.set(i, p.at(new InetSocketAddress(seen.getAddress(), p.address().getPort())));
                }
                return out;
            }
        }
        return records;
    }

    /** Stores {@code p} (at the request's source IP) if the token is ours for that IP and the record is the sender's, validly signed. */
    private boolean store(InetSocketAddress from, NodeId sender, NodeId key, byte[] token, Provider p) {
        if (!tokens.isValid(token, from.getAddress().getAddress())) {
            return false;
        }
        if (!p.nodeId().equals(sender) || !p.verify(key)) {
            stats.badProviderSignatures++;
            return false;
        }
        boolean stored = providerStore.put(key, p, env.nowMillis() + config.providerTtl());
        if (stored) {
            stats.providersStored++;
        }
        return stored;
    }

    /**
     * The records an answer carries: relayed ones only to a requester that reads them, and then
     * fewer of them, as each is longer (docs/DHT-PROTOCOL.md).
     */
    static List<Provider> forRequester(List<Provider> found, boolean readsRelayed) {
        List<Provider> out = new ArrayList<>(found.size());
        boolean anyRelayed = false;
        for (Provider p : found) {
            if (!p.relayed() || readsRelayed) {
                out.add(p);
                anyRelayed |= p.relayed();
            }
        }
        return anyRelayed && out.size() > Codec.MAX_RELAYED_FORMAT_PROVIDERS ? out.subList(0, Codec.MAX_RELAYED_FORMAT_PROVIDERS) : out;
    }

    /**
     * A node that sent us a request: refresh it if known; else, if its bucket has a free slot,
     * ping it before it may enter; else, if the bucket's oldest contact has been failing, ping
     * that one, so a dead contact makes room (a full bucket of live contacts does not want it).
     */
    private void considerRequester(InetSocketAddress from, Header h) {
        if (h.clientOnly()) {
            return;
        }
        if (table.contains(h.sender())) {
            table.touch(h.sender(), from, env.nowMillis());
        } else if (admission.isProving(h.sender(), from)) {
            return; // it answered us and is proving its id: it enters once proven, no ping needed
        } else if (admission.isProven(h.sender(), from)) {
            offerProven(h.sender(), from); // its proof was an answer from that address
        } else if (table.hasRoomFor(h.sender())) {
            verify(from);
        } else {
            Contact failing = table.failingHead(h.sender());
            if (failing != null) {
                pingBeforeEvict(failing);
            }
        }
    }

    /** Pings an address; if it answers, its node is offered to the table. */
    private void verify(InetSocketAddress address) {
        if (verifying.size() >= MAX_VERIFYING || !verifying.add(address)) {
            return;
        }
        stats.verifyPings++;
        requests.send(address, tx -> new Ping(header(tx)), 1, new RequestTracker.Callback() {
            @Override
            public void onResponse(Response response, long rttMillis) {
                verifying.remove(address);
                seedAnswered(address, response);
                learnFrom(address, response);
            }

            @Override
            public void onTimeout() {
                verifying.remove(address);
            }

            @Override
            public void onLateResponse(Response response) {
                learnFrom(address, response);
            }
        });
    }

    /** Something answered us from {@code from}: offer it to the table and note how it sees us. */
    private void learnFrom(InetSocketAddress from, Response response) {
        observed.record(from, response.observed());
        if (response.header().clientOnly()) {
            return;
        }
        NodeId sender = response.header().sender();
        if (table.touch(sender, from, env.nowMillis())) {
            return; // known there: what offer would do, without a Contact made to be dropped
        }
        admission.prove(sender, from, proven -> {
            if (proven && running) {
                offerProven(sender, from);
            }
        });
    }

    /** A node that answered us at {@code from} and proved its id there may enter the table. */
    private void offerProven(NodeId id, InetSocketAddress from) {
        InsertResult result = table.offer(new Contact(id, from), env.nowMillis());
        if (result instanceof InsertResult.Pending pending) {
            pingBeforeEvict(pending.leastRecentlySeen());
        }
    }

    /**
     * A replacement just took a removed contact's place: ping it now rather than at its bucket's
     * next sweep (which the removal has usually just run), so a replacement that left since it was
     * parked is found out in a round trip, not in up to a sweep interval, and the next one tried.
     */
    private void pingPromoted(Contact replacement) {
        if (running && pingOrRemove(replacement)) {
            stats.promotionPings++;
        }
    }

    private void pingBeforeEvict(Contact old) {
        if (pingOrRemove(old)) {
            stats.evictionPings++;
        }
    }

    /**
     * Pings a contact of ours: an answer keeps it, silence removes it (the newest replacement
     * takes its place). False when a ping to it is already out.
     */
    private boolean pingOrRemove(Contact old) {
        if (!beingPinged.add(old.id())) {
            return false;
        }
        requests.send(old.address(), tx -> new Ping(header(tx)), config.requestAttempts(), new RequestTracker.Callback() {
            @Override
            public void onResponse(Response response, long rttMillis) {
                beingPinged.remove(old.id());
                if (response.header().sender().equals(old.id())) {
                    table.confirmed(old, env.nowMillis());
                } else {
                    table.remove(old.id());
                }
            }

            @Override
            public void onTimeout() {
                beingPinged.remove(old.id());
                table.remove(old.id()); // the newest replacement takes its place
            }
        });
        return true;
    }

    /** Whoever answers at a remembered address is found again; a seed that answers as a public node can be our relay. */
    private void seedAnswered(InetSocketAddress address, Response response) {
        Header h = response.header();
        rejoin.answered(address, h.sender());
        if (rejoin.seeds().contains(address)) {
            if (h.clientOnly()) {
                publicSeeds.remove(address);
            } else {
                publicSeeds.put(address, h.sender());
            }
        }
    }

    private void pingSeeds() {
        for (InetSocketAddress seed : rejoin.seeds()) {
            verify(seed);
        }
    }

    private void scheduleMaintenance() {
        long interval = config.maintenanceInterval();
        long jitter = interval / 10;
        long delay = interval - jitter + (jitter == 0 ? 0 : env.random().nextLong(2 * jitter + 1));
        maintenance = env.schedule(delay, () -> {
            if (running) {
                maintain();
                scheduleMaintenance();
            }
        });
    }

    /**
     * Refreshes buckets no lookup went into and no contact was heard from for the refresh
     * interval, with lookups where a lookup can add something. Those holding our k closest
     * contacts (our neighbourhood) are refreshed together by one lookup of our own id, whose
     * answers come from just those buckets (the Kademlia paper's join, rust-libp2p's bootstrap);
     * a farther one with room by a lookup of a random id in its range. A farther full bucket
     * could keep nothing such a lookup finds: the ping sweep ({@link #pingQuestionable}) keeps
     * it fresh instead, for a few pings rather than the 50-odd datagrams of a lookup.
     */
    private void refreshStaleBuckets(long now) {
        List<Integer> stale = table.staleBuckets(now - config.bucketRefreshInterval());
        int neighbourhood = table.neighbourhoodBucket(config.k());
        int started = 0;
        if (!stale.isEmpty() && stale.get(0) <= neighbourhood) {
            for (int bucket : stale) {
                if (bucket <= neighbourhood) {
                    table.markRefreshed(bucket, now);
                }
            }
            started++;
            stats.bucketRefreshes++;
            lookupNode(self, r -> { });
        }
        for (int bucket : stale) {
            if (started >= MAX_REFRESHES_PER_TICK) {
                break;
            }
            if (bucket > neighbourhood && !table.isFull(bucket)) {
                table.markRefreshed(bucket, now);
                started++;
                stats.bucketRefreshes++;
                lookupNode(NodeId.randomInBucket(self, bucket, env.random()), r -> { });
            }
        }
    }

    /**
     * Every {@link #SWEEP_INTERVAL_MILLIS} per bucket, pings its contacts not heard from for as long:
     * the silent ones leave and replacements take their place, so lookups (ours and those our
     * answers feed) meet fewer departed nodes.
     */
    private void pingQuestionable(long now) {
        for (Contact c : table.questionableToPing(now, SWEEP_INTERVAL_MILLIS)) {
            if (pingOrRemove(c)) {
                stats.refreshPings++;
            }
        }
    }

    private void maintain() {
        long now = env.nowMillis();
        providerStore.expire(now);
        if (now - lastTokenRotation >= TOKEN_ROTATION_MILLIS) {
            tokens.rotate();
            lastTokenRotation = now;
        }
        if (table.size() == 0 && !rejoin.seeds().isEmpty() && !bootstrapping) {
            bootstrap(rejoin.seeds(), r -> { });
        }
        refreshStaleBuckets(now);
        pingQuestionable(now);
        for (Map.Entry<NodeId, Announcement> e : new ArrayList<>(provided.entrySet())) {
            if (e.getValue().nextAt <= now) {
                announce(e.getKey(), e.getValue(), r -> { });
            }
        }
    }
}
