package dev.p2p.dht;

/**
 * Which node id a public key stands for. On the wire and in production that is its SHA-256
 * ({@link #SHA256}). The simulator alone substitutes its own, to model an attacker that ground
 * keys for ids near a target without spending the grinding (docs/SIMULATOR.md).
 */
@FunctionalInterface
public interface KeyIds {
    KeyIds SHA256 = NodeId::sha256;

    NodeId idOf(byte[] publicKey);
}
