package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2p.dht.NodeId;
import dev.p2p.node.policy.AnnouncePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node announces its shares exactly while others can reach it. */
class AnnouncePolicyTest {
    private static final NodeId A = NodeId.of(new byte[32]);
    private static final NodeId B = NodeId.of(filled(1));

    private static byte[] filled(int v) {
        byte[] b = new byte[32];
        java.util.Arrays.fill(b, (byte) v);
        return b;
    }

    @Test
    void sharesWaitWhileUnreachableAndAreAnnouncedOnceReachable() {
        AnnouncePolicy p = new AnnouncePolicy(false);
        assertEquals(AnnouncePolicy.Changes.NONE, p.shared(A));
        assertEquals(AnnouncePolicy.Changes.NONE, p.shared(B));
        assertEquals(2, p.unannouncedCount());
        assertEquals(List.of(A, B), p.reachability(true).provide());
        assertEquals(0, p.unannouncedCount());
        assertEquals(AnnouncePolicy.Changes.NONE, p.reachability(true), "the same decision again changes nothing");
    }

    @Test
    void losingReachabilityWithdrawsEveryAnnouncedKeyAndUnsharingWithdrawsOne() {
        AnnouncePolicy p = new AnnouncePolicy(true);
        assertEquals(List.of(A), p.shared(A).provide());
        assertEquals(List.of(B), p.shared(B).provide());
        assertEquals(List.of(A), p.unshared(A).withdraw());
        assertEquals(List.of(B), p.reachability(false).withdraw());
        assertEquals(AnnouncePolicy.Changes.NONE, p.unshared(B), "not announced, so nothing to withdraw");
        assertEquals(List.of(), p.reachability(true).provide());
    }
}
