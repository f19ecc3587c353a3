package dev.p2p.dht;

/** Counters a node keeps about itself; read them from the node's thread (or accept a torn read). */
public final class DhtStats {
    public long messagesIn;
    public long messagesOut;
    public long requestsIn;
    public long malformedDropped;
    public long rateLimited;
    public long unexpectedResponses;
    public long requestTimeouts;
    /** Answers that came after their request had timed out (still used and measured). */
    public long lateResponses;
    public long lookupsStarted;
    public long lookupsFinished;
    public long providersStored;
    public long badProviderSignatures;
    public long junkResponses;

    @Override
    public String toString() {
        return "in=" + messagesIn + " out=" + messagesOut + " malformed=" + malformedDropped + " rateLimited=" + rateLimited + " timeouts="
                + requestTimeouts + " lookups=" + lookupsFinished + "/" + lookupsStarted + " stored=" + providersStored;
    }
}
