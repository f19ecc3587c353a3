package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import java.util.BitSet;

/** A download's connection to one peer, from the dial to the close, as the {@link DownloadMachine} sees it. */
final class PeerLink {
    final PeerAddress address;
    /** The peer proved its identity and said HELLO. */
    boolean ready;
    /** BITFIELD or a refusal came. */
    boolean answered;
    /** When the peer must have answered, once connected; {@link Long#MAX_VALUE} before. */
    long answerDeadline = Long.MAX_VALUE;
    /** The chunks it announced (BITFIELD, then HAVE); null until its BITFIELD came. */
    BitSet announced;
    /** It is in the chunk scheduler and gets requests. */
    boolean inScheduler;
    /** A close was asked for; what it sends from now on is ignored. */
    boolean closing;
    String closeReason;
    /** It refused us as busy (its upload places are full): try it again later. */
    boolean busy;
    /** Since when it has had no chunk the download still needs (monotonic nanoseconds), or -1. */
    long unwantedSince = -1;
    /** Closed to give its place to a peer waiting for one: it goes to the back of the line, no failure. */
    boolean setAside;
    /** It runs on a connection an earlier download kept; if that proves dead before an answer, the peer is dialled afresh. */
    boolean reused;

    PeerLink(PeerAddress address) {
        this.address = address;
    }

    NodeId id() {
        return address.nodeId();
    }
}
