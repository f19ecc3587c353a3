package dev.p2p.dht;

/** What the routing table did with a contact it was offered. */
public sealed interface InsertResult {
    /** The contact is new in its bucket. */
    record Added() implements InsertResult {}

    /** The contact was there already and is now the most recently seen. */
    record Updated() implements InsertResult {}

    /**
     * The bucket is full and its least recently seen contact has not been heard from for a while;
     * the newcomer waits in the replacement cache. Ping {@code leastRecentlySeen}:
     * if it fails to answer it is evicted and the newest replacement takes its place.
     */
    record Pending(Contact leastRecentlySeen) implements InsertResult {}

    /**
     * The bucket is full of contacts seen recently; the newcomer waits in the replacement cache
     * and nobody needs a ping (pinging on every newcomer would keep a node pinging its table).
     */
    record Cached() implements InsertResult {}

    /** Refused, for the reason given (own id, address conflict, IP prefix limit). */
    record Rejected(String reason) implements InsertResult {}
}
