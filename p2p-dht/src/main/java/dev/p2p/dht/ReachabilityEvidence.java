package dev.p2p.dht;

import dev.p2p.dht.wire.Message;
import dev.p2p.dht.wire.Message.Request;
import dev.p2p.dht.wire.Message.Response;
import java.net.InetSocketAddress;
import java.util.Objects;
import java.util.function.Consumer;

/**
 * Feeds the node's {@link Reachability} decision from its own traffic and reports each change.
 * The evidence is read from the decoded message before the node acts on it, so the answer to an
 * unsolicited request, and the requests a first answer leads to, already carry the flag the
 * evidence implies. Without a decision (null) the configuration's static CLIENT_ONLY holds.
 *
 * <p>Which addresses we sent to is what tells an unsolicited request from an answer our NAT let
 * in, and which peers may make us dial out for hole punching. They are remembered only while that
 * can matter: not by a node public by the operator's choice or seen by peers at its own address
 * (no NAT: its status no longer depends on them, and nobody needs to punch a hole to it), nor by a
 * node configured public without a run-time decision.
 */
final class ReachabilityEvidence {
    private final Reachability decision;
    private final boolean staticClientOnly;
    private final Environment env;
    private final ObservedAddresses observed;
    private final Consumer<Reachability.Status> onChange;
    private final ContactedAddresses contacted = new ContactedAddresses();
    private Reachability.Status last;
    private boolean tracking;
    private Cancellable expiry;

    /**
     * @param decision the run-time decision, or null to keep {@code staticClientOnly}
     * @param onChange told of each new status (never of the first)
     */
    ReachabilityEvidence(Reachability decision, boolean staticClientOnly, Environment env, ObservedAddresses observed,
            Consumer<Reachability.Status> onChange) {
        this.decision = decision;
        this.observed = observed;
        this.staticClientOnly = staticClientOnly;
        this.env = env;
        this.onChange = onChange;
        this.last = status();
        this.tracking = tracksContacts();
    }

    /** Whether our messages must now say we cannot be reached. */
    boolean clientOnly() {
        return decision == null ? staticClientOnly : last != Reachability.Status.PUBLIC;
    }

    /** The decision now; null without a run-time decision. */
    Reachability.Status status() {
        return decision == null ? null : decision.status(env.nowMillis());
    }

    /** One line for a person: the decision and why. */
    String reason() {
        return decision == null ? "static configuration" : decision.reason(env.nowMillis());
    }

    /** We sent a datagram to {@code to}. */
    void sentTo(InetSocketAddress to) {
        if (tracking) {
            contacted.sentTo(to);
        }
    }

    /** Whether we sent to {@code from} lately (always false while not {@linkplain #tracksContacts tracking}). */
    boolean contacted(InetSocketAddress from) {
        return contacted.contains(from);
    }

    /**
     * A well-formed message arrived, before the node acts on it: a request from an address we never
     * sent to is proof of being dialable; the first answer tells how peers see us.
     */
    void beforeHandling(InetSocketAddress from, Message m) {
        if (decision == null || decision.mode() != Reachability.Mode.AUTO || !tracking) {
            return;
        }
        if (m instanceof Request && !contacted.contains(from)) {
            decision.onUnsolicitedRequest(env.nowMillis());
            armExpiry();
            update();
        } else if (m instanceof Response r && observed.best() == null && contacted.contains(from)) {
            decision.onObserved(r.observed());
            update();
        }
    }

    /** After the node acted on a message: how peers see us may have changed. */
    void afterHandling() {
        if (decision == null || decision.mode() != Reachability.Mode.AUTO) {
            return;
        }
        InetSocketAddress seen = observed.best();
        if (!Objects.equals(seen, decision.observed())) {
            decision.onObserved(seen);
            tracking = tracksContacts();
            update();
        }
    }

    /** The router granted a port mapping to {@code external}, or (null) none is in force any more. */
    void portMapped(InetSocketAddress external) {
        if (decision == null || decision.mode() != Reachability.Mode.AUTO) {
            return;
        }
        decision.onPortMapped(external);
        update();
    }

    /** The node starts (again): evidence that expires while it runs must be noticed. */
    void start() {
        if (decision != null && decision.evidenceUntil() >= env.nowMillis()) {
            armExpiry();
        }
    }

    void stop() {
        if (expiry != null) {
            expiry.cancel();
            expiry = null;
        }
    }

    private boolean tracksContacts() {
        if (decision == null) {
            return staticClientOnly;
        }
        switch (decision.mode()) {
            case PUBLIC:
                return false;
            case PRIVATE:
                return true;
            default:
                return !decision.seesOwnAddress();
        }
    }

    /** One timer at the end of the freshest evidence, not one per request. */
    private void armExpiry() {
        if (expiry == null) {
            expiry = env.schedule(decision.evidenceUntil() + 1 - env.nowMillis(), this::evidenceMayHaveExpired);
        }
    }

    private void evidenceMayHaveExpired() {
        expiry = null;
        update();
        if (decision.evidenceUntil() >= env.nowMillis()) {
            armExpiry(); // newer evidence came meanwhile
        }
    }

    private void update() {
        Reachability.Status now = status();
        if (now != last) {
            last = now;
            onChange.accept(now);
        }
    }
}
