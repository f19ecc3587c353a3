package dev.p2p.dht;

/**
 * The end of one announcement of a provider record.
 *
 * @param stored  nodes that confirmed they stored it
 * @param asked   nodes asked to store it
 */
public record ProvideResult(NodeId key, int stored, int asked) {}
