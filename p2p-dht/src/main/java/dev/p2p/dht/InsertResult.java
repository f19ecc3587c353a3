package dev.p2p.dht;

/** What the routing table did with a contact it was offered. */
public sealed interface InsertResult {
    /** The contact is new in its bucket. */
    record Added() implements InsertResult {}

    /** The contact was there already and is now the most recently seen. */
    record Updated() implements InsertResult {}

    /**
     * The bucket is full; the contact waits in the replacement cache. Ping {@code leastRecentlySeen}:
     * if it fails to answer it is evicted and the newest replacement takes its place.
     */
    record Pending(Contact leastRecentlySeen) implements InsertResult {}

    /** Refused, for the reason given (own id, address conflict, IP prefix limit). */
    record Rejected(String reason) implements InsertResult {}
}
