package dev.p2p.dht;

import java.net.InetSocketAddress;

/**
 * The addresses this node sent datagrams to lately, the most recent {@link #MAX_ADDRESSES}: a NAT
 * or firewall lets in answers from them, so only a request from anyone else shows that the node can
 * be dialled, and only they may make it dial out for hole punching.
 */
final class ContactedAddresses {
    static final int MAX_ADDRESSES = 8192;

    private final LruMap<InetSocketAddress, Boolean> addresses = new LruMap<>(MAX_ADDRESSES);

    void sentTo(InetSocketAddress to) {
        addresses.put(to, Boolean.TRUE);
    }

    boolean contains(InetSocketAddress from) {
        return addresses.containsKey(from);
    }
}
