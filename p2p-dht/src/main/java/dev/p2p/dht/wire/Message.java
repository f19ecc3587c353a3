package dev.p2p.dht.wire;

import dev.p2p.dht.Contact;
import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One DHT datagram. Requests ask, responses answer with the same transaction id, one-way
 * messages (hole-punch signalling) expect nothing back. The byte layout is in
 * docs/DHT-PROTOCOL.md; {@link Codec} writes and reads it.
 */
public sealed interface Message {
    Header header();

    /**
     * Which message this is. Java 17 has no switch over sealed types, so dispatch switches over
     * this enum instead; a switch expression over it fails to compile when a new kind is added
     * and not handled, where an instanceof chain would fall through to its last branch.
     */
    Kind kind();

    /** The message kinds with their type byte on the wire. */
    enum Kind {
        PING(1, Role.REQUEST), PONG(2, Role.RESPONSE), FIND_NODE(3, Role.REQUEST), NODES(4, Role.RESPONSE),
        GET_PROVIDERS(5, Role.REQUEST), PROVIDERS(6, Role.RESPONSE), ADD_PROVIDER(7, Role.REQUEST),
        ADD_PROVIDER_ACK(8, Role.RESPONSE), PUNCH_REQUEST(9, Role.ONE_WAY), PUNCH_NOTIFY(10, Role.ONE_WAY),
        ADD_RELAYED_PROVIDER(11, Role.REQUEST), CIRCUIT_NOTIFY(12, Role.ONE_WAY), IDENTIFY(13, Role.REQUEST),
        IDENTITY(14, Role.RESPONSE), LEAVE(15, Role.ONE_WAY);

        private static final Kind[] BY_CODE = new Kind[16];

        static {
            for (Kind k : values()) {
                BY_CODE[k.code] = k;
            }
        }

        /** The type byte (offset 3 of the header). */
        public final int code;
        public final Role role;

        Kind(int code, Role role) {
            this.code = code;
            this.role = role;
        }

        /** The kind with type byte {@code code}, or null for an unknown one. */
        public static Kind ofCode(int code) {
            return code >= 0 && code < BY_CODE.length ? BY_CODE[code] : null;
        }
    }

    /** Whether a message asks, answers, or neither. */
    enum Role { REQUEST, RESPONSE, ONE_WAY }

    /** Fields every message carries. */
    record Header(int txId, NodeId sender, boolean clientOnly) {
        public Header {
            if (sender == null) {
                throw new IllegalArgumentException("sender");
            }
        }
    }

    /** A message that expects an answer. */
    sealed interface Request extends Message permits Ping, FindNode, GetProviders, AddProvider, AddRelayedProvider, Identify {}

    /** An answer; {@code observed} is the requester's address as the responder saw it. */
    sealed interface Response extends Message permits Pong, Nodes, Providers, AddProviderAck, IdentityAnswer {
        InetSocketAddress observed();
    }

    /** A message nobody answers. */
    sealed interface OneWay extends Message permits PunchRequest, PunchNotify, CircuitNotify, Leave {}

    record Ping(Header header) implements Request {
        @Override
        public Kind kind() {
            return Kind.PING;
        }
    }

    record Pong(Header header, InetSocketAddress observed) implements Response {
        @Override
        public Kind kind() {
            return Kind.PONG;
        }
    }

    /**
     * @param proveNonce a fresh nonce (flag PROVE) asking the responder to prove its id inside its
     *     answer, as an IDENTIFY would, or null
     */
    record FindNode(Header header, NodeId target, byte[] proveNonce) implements Request {
        public FindNode {
            proveNonce = nonceOrNull(proveNonce);
        }

        /** A request that asks for no proof. */
        public FindNode(Header header, NodeId target) {
            this(header, target, null);
        }

        @Override
        public byte[] proveNonce() {
            return proveNonce == null ? null : proveNonce.clone();
        }

        @Override
        public Kind kind() {
            return Kind.FIND_NODE;
        }
    }

    /** @param proof the responder's proof of its id, present exactly when the request carried a nonce */
    record Nodes(Header header, InetSocketAddress observed, List<Contact> contacts, Proof proof) implements Response {
        @Override
        public Kind kind() {
            return Kind.NODES;
        }

        public Nodes {
            contacts = List.copyOf(contacts);
        }

        /** An answer that carries no proof. */
        public Nodes(Header header, InetSocketAddress observed, List<Contact> contacts) {
            this(header, observed, contacts, null);
        }
    }

    /**
     * @param relayed whether the requester reads relayed provider records (flag bit 1): only then
     *     may the answer carry them
     * @param proveNonce as {@link FindNode#proveNonce}
     */
    record GetProviders(Header header, NodeId key, boolean relayed, byte[] proveNonce) implements Request {
        public GetProviders {
            proveNonce = nonceOrNull(proveNonce);
        }

        /** A request of a node that does not read relayed records. */
        public GetProviders(Header header, NodeId key) {
            this(header, key, false);
        }

        /** A request that asks for no proof. */
        public GetProviders(Header header, NodeId key, boolean relayed) {
            this(header, key, relayed, null);
        }

        @Override
        public byte[] proveNonce() {
            return proveNonce == null ? null : proveNonce.clone();
        }

        @Override
        public Kind kind() {
            return Kind.GET_PROVIDERS;
        }
    }

    /**
     * Providers known for the key (maybe none), closer nodes, and a token for a later ADD_PROVIDER.
     *
     * @param proof as {@link Nodes#proof}
     */
    record Providers(Header header, InetSocketAddress observed, byte[] token, List<Provider> providers,
            List<Contact> contacts, Proof proof) implements Response {
        @Override
        public Kind kind() {
            return Kind.PROVIDERS;
        }

        public Providers {
            providers = List.copyOf(providers);
            contacts = List.copyOf(contacts);
        }

        /** An answer that carries no proof. */
        public Providers(Header header, InetSocketAddress observed, byte[] token, List<Provider> providers,
                List<Contact> contacts) {
            this(header, observed, token, providers, contacts, null);
        }
    }

    /**
     * A responder's proof of its id carried in a NODES or PROVIDERS answer (flag PROVE): its
     * Ed25519 public key and its signature over the same bytes an IDENTITY signs
     * ({@link dev.p2p.dht.IdentityProof#signedBytes}), for the nonce of the request it answers.
     */
    record Proof(byte[] publicKey, byte[] signature) {
        public static final int BYTES = Identity.PUBLIC_KEY_BYTES + Identity.SIGNATURE_BYTES;

        public Proof {
            if (publicKey.length != Identity.PUBLIC_KEY_BYTES || signature.length != Identity.SIGNATURE_BYTES) {
                throw new IllegalArgumentException("proof of " + publicKey.length + " + " + signature.length + " bytes");
            }
            publicKey = publicKey.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }
    }

    /** {@code nonce} copied, checked to be {@link Identify#NONCE_BYTES} long; null stays null. */
    private static byte[] nonceOrNull(byte[] nonce) {
        if (nonce != null && nonce.length != Identify.NONCE_BYTES) {
            throw new IllegalArgumentException("a nonce is " + Identify.NONCE_BYTES + " bytes");
        }
        return nonce == null ? null : nonce.clone();
    }

    /** Asks the receiver to record the sender (at its source IP and {@code port}) as a provider of {@code key}. */
    record AddProvider(Header header, NodeId key, byte[] token, byte[] publicKey, int port, byte[] signature)
            implements Request {
        @Override
        public Kind kind() {
            return Kind.ADD_PROVIDER;
        }
    }

    /**
     * As {@link AddProvider}, for a provider behind NAT: "reach me through {@code relay}", a public
     * peer that passes hole-punch requests on to it. The signature covers the relay too
     * ({@link Provider#signedBytes(NodeId, byte[], int, Contact)}). Answered by ADD_PROVIDER_ACK.
     */
    record AddRelayedProvider(Header header, NodeId key, byte[] token, byte[] publicKey, int port, Contact relay,
            byte[] signature) implements Request {
        @Override
        public Kind kind() {
            return Kind.ADD_RELAYED_PROVIDER;
        }
    }

    record AddProviderAck(Header header, InetSocketAddress observed, boolean stored) implements Response {
        @Override
        public Kind kind() {
            return Kind.ADD_PROVIDER_ACK;
        }
    }

    /**
     * Hole punching, to a public node: "tell client {@code target} that I will connect from
     * {@code port}" (docs/REACHABILITY.md). Its header carries transaction id 0 and no flags.
     */
    record PunchRequest(Header header, NodeId target, int port) implements OneWay {
        @Override
        public Kind kind() {
            return Kind.PUNCH_REQUEST;
        }
    }

    /**
     * Hole punching, from the public node to the client: "{@code requester} will connect from
     * {@code address}" (the request's source IP and requested port).
     */
    record PunchNotify(Header header, NodeId requester, InetSocketAddress address) implements OneWay {
        @Override
        public Kind kind() {
            return Kind.PUNCH_NOTIFY;
        }
    }

    /**
     * Relaying, from a public relay to a client it knows: "a peer waits at my TCP port for you;
     * connect and present {@code token}" (docs/REACHABILITY.md, relay circuits).
     */
    record CircuitNotify(Header header, byte[] token) implements OneWay {
        /** Length of a circuit token. */
        public static final int TOKEN_BYTES = 32;

        public CircuitNotify {
            if (token.length != TOKEN_BYTES) {
                throw new IllegalArgumentException("circuit token of " + token.length + " bytes");
            }
            token = token.clone();
        }

        @Override
        public byte[] token() {
            return token.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof CircuitNotify c && header.equals(c.header) && java.util.Arrays.equals(token, c.token);
        }

        @Override
        public int hashCode() {
            return header.hashCode() * 31 + java.util.Arrays.hashCode(token);
        }

        @Override
        public Kind kind() {
            return Kind.CIRCUIT_NOTIFY;
        }
    }

    /**
     * "I am leaving the network": the sender's Ed25519 public key and its signature binding its
     * id to the receiver's ({@link dev.p2p.dht.DepartureNotice}), so the receiver drops it from
     * its table at once instead of finding it gone by a timed-out request. Transaction id 0.
     */
    record Leave(Header header, Proof proof) implements OneWay {
        public Leave {
            if (proof == null) {
                throw new IllegalArgumentException("proof");
            }
        }

        @Override
        public Kind kind() {
            return Kind.LEAVE;
        }
    }

    /**
     * "Prove that you hold the key of your id": {@code nonce} is fresh and unpredictable, so the
     * signed answer cannot have been made before this request (docs/DHT-PROTOCOL.md, admission).
     */
    record Identify(Header header, byte[] nonce) implements Request {
        public static final int NONCE_BYTES = 16;

        public Identify {
            if (nonce.length != NONCE_BYTES) {
                throw new IllegalArgumentException("a nonce is " + NONCE_BYTES + " bytes");
            }
            nonce = nonce.clone();
        }

        @Override
        public byte[] nonce() {
            return nonce.clone();
        }

        @Override
        public Kind kind() {
            return Kind.IDENTIFY;
        }
    }

    /**
     * The answer to {@link Identify}: the responder's Ed25519 public key, whose SHA-256 must be the
     * header's sender id, and its signature of the nonce and the requester's id
     * ({@link dev.p2p.dht.IdentityProof}).
     */
    record IdentityAnswer(Header header, InetSocketAddress observed, byte[] publicKey, byte[] signature) implements Response {
        public IdentityAnswer {
            publicKey = publicKey.clone();
            signature = signature.clone();
        }

        @Override
        public byte[] publicKey() {
            return publicKey.clone();
        }

        @Override
        public byte[] signature() {
            return signature.clone();
        }

        @Override
        public Kind kind() {
            return Kind.IDENTITY;
        }
    }

    /** True when {@code response} is the kind of answer {@code request} asks for. */
    static boolean answers(Request request, Response response) {
        if (request instanceof Ping) {
            return response instanceof Pong;
        } else if (request instanceof FindNode) {
            return response instanceof Nodes;
        } else if (request instanceof GetProviders) {
            return response instanceof Providers;
        } else if (request instanceof Identify) {
            return response instanceof IdentityAnswer;
        }
        return response instanceof AddProviderAck;
    }
}
