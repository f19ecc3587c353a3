package dev.p2p.dht;

import dev.p2p.dht.wire.Message;

/** Counters a node keeps about itself; read them from the node's thread (or accept a torn read). */
public final class DhtStats {
    public long messagesIn;
    public long messagesOut;
    public long requestsIn;
    public long malformedDropped;
    public long rateLimited;
    public long unexpectedResponses;
    /** Requests sent, each resend counted: what {@link #requestTimeouts} is a share of. */
    public long requestsOut;
    public long requestTimeouts;
    /** {@link #requestTimeouts} by the request's message type, indexed by its type byte. */
    public final long[] requestTimeoutsByType = new long[Message.Kind.values().length + 1];
    /** Answers that came after their request had timed out (still used and measured). */
    public long lateResponses;
    public long lookupsStarted;
    public long lookupsFinished;
    /**
     * Lookups to refresh buckets no lookup went into and none of whose contacts was heard from for
     * the refresh interval (full buckets farther than our neighbourhood get none: see refreshPings).
     */
    public long bucketRefreshes;
    /** Pings of the ping sweep: each bucket's contacts not heard from for the sweep interval, once per interval. */
    public long refreshPings;
    public long providersStored;
    public long badProviderSignatures;
    public long junkResponses;
    /** Pings to a node that asked us something, before it may enter the table. */
    public long verifyPings;
    /** Pings to a bucket's least recently seen contact, before a newcomer may replace it. */
    public long evictionPings;
    /** Pings to a replacement that just took a removed contact's place. */
    public long promotionPings;
    /** LEAVE notices sent as we left ({@link DhtNode#leave}). */
    public long leaveNoticesSent;
    /** LEAVE notices from a contact of ours, signed for us, that took it out of the table. */
    public long leaveNoticesHeeded;

    /** Every counter by name, in a fixed order (for reports that must not depend on hash order). */
    public java.util.Map<String, Long> asMap() {
        java.util.Map<String, Long> m = new java.util.LinkedHashMap<>();
        m.put("messagesIn", messagesIn);
        m.put("messagesOut", messagesOut);
        m.put("requestsIn", requestsIn);
        m.put("requestsOut", requestsOut);
        m.put("requestTimeouts", requestTimeouts);
        for (Message.Kind kind : Message.Kind.values()) {
            if (kind.role == Message.Role.REQUEST) {
                m.put("requestTimeouts." + kind, requestTimeoutsByType[kind.code]);
            }
        }
        m.put("lateResponses", lateResponses);
        m.put("unexpectedResponses", unexpectedResponses);
        m.put("malformedDropped", malformedDropped);
        m.put("rateLimited", rateLimited);
        m.put("lookupsStarted", lookupsStarted);
        m.put("lookupsFinished", lookupsFinished);
        m.put("bucketRefreshes", bucketRefreshes);
        m.put("providersStored", providersStored);
        m.put("badProviderSignatures", badProviderSignatures);
        m.put("junkResponses", junkResponses);
        m.put("verifyPings", verifyPings);
        m.put("evictionPings", evictionPings);
        m.put("refreshPings", refreshPings);
        m.put("promotionPings", promotionPings);
        m.put("leaveNoticesSent", leaveNoticesSent);
        m.put("leaveNoticesHeeded", leaveNoticesHeeded);
        return m;
    }

    @Override
    public String toString() {
        return "in=" + messagesIn + " out=" + messagesOut + " malformed=" + malformedDropped + " rateLimited=" + rateLimited + " timeouts="
                + requestTimeouts + " lookups=" + lookupsFinished + "/" + lookupsStarted + " stored=" + providersStored;
    }
}
