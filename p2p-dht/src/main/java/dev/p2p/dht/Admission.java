package dev.p2p.dht;

import dev.p2p.dht.wire.Message.Identify;
import dev.p2p.dht.wire.Message.IdentityAnswer;
import dev.p2p.dht.wire.Message.Nodes;
import dev.p2p.dht.wire.Message.Proof;
import dev.p2p.dht.wire.Message.Providers;
import dev.p2p.dht.wire.Message.Response;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.BiPredicate;
import java.util.function.Consumer;

/**
 * Which ids proved, at which address, that they hold their private key (an IDENTIFY answered with
 * a valid {@link IdentityProof}). A contact enters the routing table, and counts as a lookup
 * result, only once proven at its address; the proof is asked once per (id, address) and
 * remembered, so signatures are checked at admission, not on every datagram. Without this a
 * header's sender id is whatever the sender writes, and ids next to any key cost nothing.
 */
final class Admission {
    /** Proven (id, address) pairs remembered beside the routing table's contacts. */
    static final int REMEMBERED = 512;
    /** Proofs in flight at once; a claim beyond this fails (the claimant may ask again later). */
    static final int MAX_IN_FLIGHT = 256;

    /** How a proof is asked for: one IDENTIFY request to {@code to}. */
    interface Asker {
        void identify(InetSocketAddress to, byte[] nonce, RequestTracker.Callback callback);
    }

    private record Claim(NodeId id, InetSocketAddress address) {}

    private final NodeId self;
    private final Environment env;
    private final Asker asker;
    /** Pairs proven at admission and still in the routing table, however long ago. */
    private final BiPredicate<NodeId, InetSocketAddress> inTable;
    private final Map<NodeId, InetSocketAddress> proven = new LruMap<>(REMEMBERED);
    private final Map<Claim, List<Consumer<Boolean>>> inFlight = new HashMap<>();
    long proofsAsked;
    long proofsFailed;

    /** @param inTable whether the routing table holds {@code id} at {@code address}: only proven pairs enter it */
    Admission(NodeId self, Environment env, Asker asker, BiPredicate<NodeId, InetSocketAddress> inTable) {
        this.self = self;
        this.env = env;
        this.asker = asker;
        this.inTable = inTable;
    }

    /** True when {@code id} proved its key at {@code address}: lately, or when it entered our routing table. */
    boolean isProven(NodeId id, InetSocketAddress address) {
        return address.equals(proven.get(id)) || inTable.test(id, address);
    }

    /** True while an IDENTIFY to {@code id} at {@code address} is out: it answered us and is being admitted. */
    boolean isProving(NodeId id, InetSocketAddress address) {
        return inFlight.containsKey(new Claim(id, address));
    }

    /**
     * Tells {@code done} whether {@code id} holds its key at {@code address}: at once when proven
     * already, else once an IDENTIFY is answered (true) or not, or answered wrongly (false).
     * Claims for the same pair share one request.
     */
    void prove(NodeId id, InetSocketAddress address, Consumer<Boolean> done) {
        if (isProven(id, address)) {
            done.accept(true);
            return;
        }
        Claim claim = new Claim(id, address);
        List<Consumer<Boolean>> waiting = inFlight.get(claim);
        if (waiting != null) {
            waiting.add(done);
            return;
        }
        if (inFlight.size() >= MAX_IN_FLIGHT) {
            done.accept(false);
            return;
        }
        waiting = new ArrayList<>(2);
        waiting.add(done);
        inFlight.put(claim, waiting);
        byte[] nonce = new byte[Identify.NONCE_BYTES];
        env.random().nextBytes(nonce);
        proofsAsked++;
        asker.identify(address, nonce, new RequestTracker.Callback() {
            @Override
            public void onResponse(Response response, long rttMillis) {
                settle(claim, IdentityProof.holds((IdentityAnswer) response, id, nonce, self, env.keyIds(), env.proofSignatures()));
            }

            @Override
            public void onTimeout() {
                settle(claim, false);
            }

            @Override
            public void onLateResponse(Response response) {
                if (IdentityProof.holds((IdentityAnswer) response, id, nonce, self, env.keyIds(), env.proofSignatures())) {
                    proven.put(id, address); // too late for this claim; the next one is answered at once
                }
            }
        });
    }

    /**
     * A fresh nonce for a lookup request that asks its unproven node to prove its id inside the
     * answer (flag PROVE) instead of by a separate IDENTIFY: one datagram each way, and a departed
     * node costs one timed-out request rather than two.
     */
    byte[] carriedNonce() {
        byte[] nonce = new byte[Identify.NONCE_BYTES];
        env.random().nextBytes(nonce);
        proofsAsked++;
        return nonce;
    }

    /**
     * Checks the proof carried in {@code answer}, from {@code to}, to a request with {@code nonce}
     * ({@link #carriedNonce}); remembers {@code to} as proven when it holds, as an IDENTITY would.
     * A missing or forged proof is a failed proof.
     */
    boolean acceptCarried(Contact to, byte[] nonce, Response answer) {
        Proof proof = answer instanceof Nodes n ? n.proof() : answer instanceof Providers p ? p.proof() : null;
        if (IdentityProof.holds(answer.header().sender(), proof, to.id(), nonce, self, env.keyIds(), env.proofSignatures())) {
            proven.put(to.id(), to.address());
            return true;
        }
        proofsFailed++;
        return false;
    }

    private void settle(Claim claim, boolean ok) {
        if (ok) {
            proven.put(claim.id(), claim.address());
        } else {
            proofsFailed++;
        }
        for (Consumer<Boolean> c : inFlight.remove(claim)) {
            c.accept(ok);
        }
    }

    void clear() {
        inFlight.clear();
    }
}
