package dev.p2p.dht.wire;

import dev.p2p.dht.Contact;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.Provider;
import java.net.InetSocketAddress;
import java.util.List;

/**
 * One DHT datagram. Requests ask, responses answer with the same transaction id. The byte layout
 * is in docs/DHT-PROTOCOL.md; {@link Codec} writes and reads it.
 */
public sealed interface Message {
    Header header();

    /** Fields every message carries. */
    record Header(int txId, NodeId sender, boolean clientOnly) {
        public Header {
            if (sender == null) {
                throw new IllegalArgumentException("sender");
            }
        }
    }

    /** A message that expects an answer. */
    sealed interface Request extends Message permits Ping, FindNode, GetProviders, AddProvider {}

    /** An answer; {@code observed} is the requester's address as the responder saw it. */
    sealed interface Response extends Message permits Pong, Nodes, Providers, AddProviderAck {
        InetSocketAddress observed();
    }

    record Ping(Header header) implements Request {}

    record Pong(Header header, InetSocketAddress observed) implements Response {}

    record FindNode(Header header, NodeId target) implements Request {}

    record Nodes(Header header, InetSocketAddress observed, List<Contact> contacts) implements Response {
        public Nodes {
            contacts = List.copyOf(contacts);
        }
    }

    record GetProviders(Header header, NodeId key) implements Request {}

    /** Providers known for the key (maybe none), closer nodes, and a token for a later ADD_PROVIDER. */
    record Providers(Header header, InetSocketAddress observed, byte[] token, List<Provider> providers,
            List<Contact> contacts) implements Response {
        public Providers {
            providers = List.copyOf(providers);
            contacts = List.copyOf(contacts);
        }
    }

    /** Asks the receiver to record the sender (at its source IP and {@code port}) as a provider of {@code key}. */
    record AddProvider(Header header, NodeId key, byte[] token, byte[] publicKey, int port, byte[] signature)
            implements Request {}

    record AddProviderAck(Header header, InetSocketAddress observed, boolean stored) implements Response {}

    /** True when {@code response} is the kind of answer {@code request} asks for. */
    static boolean answers(Request request, Response response) {
        if (request instanceof Ping) {
            return response instanceof Pong;
        } else if (request instanceof FindNode) {
            return response instanceof Nodes;
        } else if (request instanceof GetProviders) {
            return response instanceof Providers;
        }
        return response instanceof AddProviderAck;
    }
}
