package dev.p2p.cli.node;

import dev.p2p.transfer.fetch.DownloadListener;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * A download as `p2p ls` and the control API show it; updated from I/O threads. One the node is to
 * share once downloaded stays DOWNLOADING (all bytes verified) until the share step has run, so
 * DONE tells a poller the whole job is over and whether the content is shared.
 */
public final class DownloadState implements DownloadListener {
    public enum Phase { FINDING, DOWNLOADING, DONE, FAILED }

    public final String id;
    public final String link;
    public final String outputDir;
    /** The node shares the content once downloaded ({@link #shared} or {@link #notShared} ends it). */
    public final boolean shareWhenDone;
    private volatile Phase phase = Phase.FINDING;
    private volatile long verifiedBytes;
    private volatile long totalBytes;
    private volatile int peers;
    private volatile String error;
    private volatile String path;
    private volatile int exitCode;
    private volatile boolean shared;
    private volatile String shareError;
    private final long startedNanos = System.nanoTime();
    private volatile long endedNanos;
    private final CountDownLatch over = new CountDownLatch(1);

    DownloadState(String id, String link, String outputDir, boolean shareWhenDone) {
        this.id = id;
        this.link = link;
        this.outputDir = outputDir;
        this.shareWhenDone = shareWhenDone;
    }

    @Override
    public void onProgress(long verified, long total, int connected) {
        phase = Phase.DOWNLOADING;
        verifiedBytes = verified;
        totalBytes = total;
        peers = connected;
    }

    void done(String finalPath, long total) {
        path = finalPath;
        verifiedBytes = total;
        totalBytes = total;
        endedNanos = System.nanoTime();
        if (!shareWhenDone) {
            end(Phase.DONE);
        }
    }

    /** The downloaded content is shared now: the job is done. */
    public void shared() {
        shared = true;
        end(Phase.DONE);
    }

    /** Downloaded and verified, but the node could not share it ({@code reason}): done all the same. */
    public void notShared(String reason) {
        shareError = reason;
        end(Phase.DONE);
    }

    /** Verified bytes per second since the download started (until it ended). */
    public double rateBytesPerSecond() {
        long end = endedNanos != 0 ? endedNanos : System.nanoTime();
        return verifiedBytes / Math.max(1e-3, (end - startedNanos) / 1e9);
    }

    void failed(String message, int code) {
        error = message;
        exitCode = code;
        endedNanos = System.nanoTime();
        end(Phase.FAILED);
    }

    private void end(Phase last) {
        phase = last;
        over.countDown();
    }

    /** Returns once the download is done or failed, or after {@code millis}, whichever comes first. */
    public void awaitOver(long millis) throws InterruptedException {
        over.await(millis, TimeUnit.MILLISECONDS);
    }

    public Phase phase() {
        return phase;
    }

    public long verifiedBytes() {
        return verifiedBytes;
    }

    public long totalBytes() {
        return totalBytes;
    }

    public int peers() {
        return peers;
    }

    public String error() {
        return error;
    }

    public String path() {
        return path;
    }

    public int exitCode() {
        return exitCode;
    }

    public boolean isShared() {
        return shared;
    }

    /** Why a download the node was to share is not shared, or null. */
    public String shareError() {
        return shareError;
    }
}
