package dev.p2p.dht;

import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * A signed claim "the node with this public key serves content {@code key} on this port", with
 * the IP the storing node saw the claim come from. The signature covers the key, the public key
 * and the port, so nobody but the key's owner can make a node a provider; the IP is taken from
 * the packet's source, so nobody can point a record at someone else's address.
 */
public record Provider(byte[] publicKey, InetSocketAddress address, byte[] signature) {
    private static final byte[] DOMAIN = "p2p-provider-v1".getBytes(StandardCharsets.US_ASCII);

    public Provider {
        publicKey = publicKey.clone();
        signature = signature.clone();
    }

    public NodeId nodeId() {
        return NodeId.sha256(publicKey);
    }

    /** The bytes a provider signs to announce {@code key} on {@code port}. */
    public static byte[] signedBytes(NodeId key, byte[] publicKey, int port) {
        ByteBuffer b = ByteBuffer.allocate(DOMAIN.length + NodeId.BYTES + publicKey.length + 2);
        b.put(DOMAIN).put(key.toBytes()).put(publicKey).putShort((short) port);
        return b.array();
    }

    /** Makes and signs a record for {@code identity} serving {@code key} at {@code address}. */
    public static Provider sign(Identity identity, NodeId key, InetSocketAddress address) {
        byte[] pub = identity.publicKey();
        return new Provider(pub, address, identity.sign(signedBytes(key, pub, address.getPort())));
    }

    /** True when the signature is the public key owner's for {@code key} and this port. */
    public boolean verify(NodeId key) {
        return VerifiedSignatures.verify(publicKey, signedBytes(key, publicKey, address.getPort()), signature);
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
                && Arrays.equals(signature, p.signature);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(publicKey) * 31 + address.hashCode();
    }

    @Override
    public String toString() {
        return "Provider[" + nodeId().shortHex() + "@" + address + "]";
    }
}
