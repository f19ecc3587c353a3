package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Objects;

/**
 * A signed claim "the node with this public key serves content {@code key} on this port", with
 * the IP the storing node saw the claim come from. The signature covers the key, the public key
 * and the port, so nobody but the key's owner can make a node a provider; the IP is taken from
 * the packet's source, so nobody can point a record at someone else's address.
 *
 * <p>A <em>relayed</em> record (a provider behind NAT, docs/REACHABILITY.md) adds "reach me
 * through {@code relay}": a public peer the provider keeps a NAT mapping open to, which passes
 * hole-punch requests on to it. The relay's id and address are signed too, under another domain,
 * so neither the relay nor anyone else can make or redirect such a record.
 *
 * @param relay the public peer to punch through, or null for a record of a directly reachable provider
 */
public record Provider(byte[] publicKey, InetSocketAddress address, byte[] signature, Contact relay) {
    private static final byte[] DOMAIN = "p2p-provider-v1".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] RELAYED_DOMAIN = "p2p-relayed-provider-v1".getBytes(StandardCharsets.US_ASCII);

    public Provider {
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    /** A record of a directly reachable provider. */
    public Provider(byte[] publicKey, InetSocketAddress address, byte[] signature) {
        this(publicKey, address, signature, null);
    }

    public NodeId nodeId() {
        return NodeId.sha256(publicKey);
    }

    public boolean relayed() {
        return relay != null;
    }

    /** The same record at another address (the IP is never signed). */
    public Provider at(InetSocketAddress where) {
        return new Provider(publicKey, where, signature, relay);
    }

    /** The bytes a provider signs to announce {@code key} on {@code port}. */
    public static byte[] signedBytes(NodeId key, byte[] publicKey, int port) {
        ByteBuffer b = ByteBuffer.allocate(DOMAIN.length + NodeId.BYTES + publicKey.length + 2);
        b.put(DOMAIN).put(key.toBytes()).put(publicKey).putShort((short) port);
        return b.array();
    }

    /**
     * The bytes a provider behind NAT signs to announce {@code key} on {@code port}, reached
     * through {@code relay}: the relay's id, IP and port are part of them.
     */
    public static byte[] signedBytes(NodeId key, byte[] publicKey, int port, Contact relay) {
        byte[] ip = relay.address().getAddress().getAddress();
        ByteBuffer b = ByteBuffer.allocate(RELAYED_DOMAIN.length + NodeId.BYTES + publicKey.length + 2 + NodeId.BYTES + ip.length + 2);
        b.put(RELAYED_DOMAIN).put(key.toBytes()).put(publicKey).putShort((short) port)
                .put(relay.id().toBytes()).put(ip).putShort((short) relay.address().getPort());
        return b.array();
    }

    /** Makes and signs a record for {@code identity} serving {@code key} at {@code address}. */
    public static Provider sign(Identity identity, NodeId key, InetSocketAddress address) {
        byte[] pub = identity.publicKey();
        return new Provider(pub, address, identity.sign(signedBytes(key, pub, address.getPort())));
    }

    /** Makes and signs a relayed record: {@code identity} serves {@code key}, reached through {@code relay}. */
    public static Provider signRelayed(Identity identity, NodeId key, InetSocketAddress address, Contact relay) {
        byte[] pub = identity.publicKey();
        return new Provider(pub, address, identity.sign(signedBytes(key, pub, address.getPort(), relay)), relay);
    }

    /** True when the signature is the public key owner's for {@code key}, this port, and this relay if any. */
    public boolean verify(NodeId key) {
        byte[] signed = relay == null ? signedBytes(key, publicKey, address.getPort()) : signedBytes(key, publicKey, address.getPort(), relay);
        return VerifiedSignatures.verify(publicKey, signed, signature);
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
    public boolean equals(Object o) {
        return o instanceof Provider p && Arrays.equals(publicKey, p.publicKey) && address.equals(p.address)
                && Arrays.equals(signature, p.signature) && Objects.equals(relay, p.relay);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey) * 31 + address.hashCode();
    }

    @Override
    public String toString() {
        return "Provider[" + nodeId().shortHex() + "@" + address + (relay == null ? "" : " via " + relay.id().shortHex() + "@"
                + relay.address()) + "]";
    }
}
