package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.p2p.dht.NodeId;
import dev.p2p.node.policy.AnnouncePolicy;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A node announces its shares, and the downloads it holds verified chunks of, exactly while others can reach it. */
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

    @Test
    void aDownloadHoldingChunksIsAnnouncedUntilItEndsWithoutTheContent() {
        AnnouncePolicy p = new AnnouncePolicy(true);
        assertEquals(List.of(A), p.holding(A).provide());
        assertEquals(AnnouncePolicy.Changes.NONE, p.holding(A), "announced once");
        assertEquals(List.of(A), p.downloadEnded(A).withdraw(), "a failed download serves nothing more");
        assertEquals(AnnouncePolicy.Changes.NONE, p.downloadEnded(A));

        assertEquals(List.of(B), p.holding(B).provide());
        assertEquals(List.of(B), p.downloadEnded(B).withdraw(), "complete but not shared (get --no-share)");
        assertEquals(List.of(B), p.shared(B).provide(), "shared once complete: announced again");
    }

    @Test
    void aDownloadOfWhatIsSharedAnywayNeverWithdrawsIt() {
        AnnouncePolicy p = new AnnouncePolicy(true);
        p.shared(A);
        assertEquals(AnnouncePolicy.Changes.NONE, p.holding(A));
        assertEquals(AnnouncePolicy.Changes.NONE, p.downloadEnded(A));
        assertEquals(List.of(B), p.holding(B).provide());
        assertEquals(AnnouncePolicy.Changes.NONE, p.shared(B), "sharing what is announced already announces nothing twice");
        assertEquals(AnnouncePolicy.Changes.NONE, p.downloadEnded(B), "shared while downloading: it stays");
        assertEquals(AnnouncePolicy.Changes.NONE, p.unshared(NodeId.of(filled(2))), "never shared: nothing to withdraw");
    }

    @Test
    void aDownloadBehindNatIsAnnouncedOnlyOnceReachable() {
        AnnouncePolicy p = new AnnouncePolicy(false);
        assertEquals(AnnouncePolicy.Changes.NONE, p.holding(A));
        assertEquals(List.of(A), p.reachability(true).provide());
        assertEquals(List.of(A), p.downloadEnded(A).withdraw());
    }
}
