package dev.p2p.cli.node;

import dev.p2p.transfer.content.Manifest;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.fetch.DownloadListener;

/**
 * A download as `p2p ls` and the control API show it; updated from I/O threads. One the node is to
 * share once downloaded stays DOWNLOADING (all bytes verified) until the share step has run, so
 * DONE tells a poller the whole job is over and whether the content is shared. PAUSED and
 * CANCELLED are the user's; a failure reported by the run they stopped does not replace them.
 */
public final class DownloadState implements DownloadListener {
    public enum Phase { FINDING, DOWNLOADING, PAUSED, CANCELLED, DONE, FAILED }

    public final String id;
    public final String link;
    public final String outputDir;
    /**
     * The node shares the content once downloaded ({@link #shared} or {@link #notShared} ends it);
     * never for a download of some files only, which is not the content its link names.
     */
    public final boolean shareWhenDone;
    /** The files fetched: {@link Selection#ALL}, or those {@code --include} named. */
    public final Selection selection;
    private volatile Phase phase = Phase.FINDING;
    private volatile long verifiedBytes;
    private volatile long totalBytes;
    private volatile int peers;
    private volatile String error;
    private volatile String path;
    private volatile int exitCode;
    private volatile boolean shared;
    private volatile String shareError;
    private volatile String name;
    private volatile long resumedBytes;
    private volatile long runStartBytes = -1; // verified bytes at the first report of this run
    private volatile long startedNanos = System.nanoTime();
    private volatile long endedNanos;

    DownloadState(String id, String link, String outputDir, boolean shareWhenDone, Selection selection) {
        this.id = id;
        this.link = link;
        this.outputDir = outputDir;
        this.shareWhenDone = shareWhenDone && selection.all();
        this.selection = selection;
    }

    @Override
    public void onManifest(Manifest manifest) {
        name = manifest.name();
    }

    @Override
    public void onProgress(long verified, long total, int connected) {
        if (phase == Phase.PAUSED || phase == Phase.CANCELLED) {
            return; // the last reports of a run being stopped
        }
        enter(Phase.DOWNLOADING);
        if (runStartBytes < 0 && total > 0) {
            runStartBytes = verified; // the first report once the store is open: what this run resumed from
            startedNanos = System.nanoTime();
        }
        verifiedBytes = verified;
        totalBytes = total;
        peers = connected;
    }

    /** Runs again (resumed, or retried after a failure): the rate counts from now. */
    synchronized void restart() {
        enter(Phase.FINDING);
        runStartBytes = -1;
        error = null;
        exitCode = 0;
        peers = 0;
        startedNanos = System.nanoTime();
        endedNanos = 0;
    }

    /** The user paused it; the run ends without this counting as a failure. */
    synchronized void paused() {
        enter(Phase.PAUSED);
        peers = 0;
        endedNanos = System.nanoTime();
    }

    /** The user cancelled it. */
    synchronized void cancelled() {
        enter(Phase.CANCELLED);
        peers = 0;
        endedNanos = System.nanoTime();
    }

    void done(String finalPath, long total, long resumed) {
        resumedBytes = resumed;
        if (runStartBytes < 0) {
            runStartBytes = resumed;
        }
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

    /** Verified bytes per second since this run's store opened, until it ended; 0 while it is not running. */
    public double rateBytesPerSecond() {
        if (phase == Phase.PAUSED || phase == Phase.CANCELLED || runStartBytes < 0) {
            return 0;
        }
        long end = endedNanos != 0 ? endedNanos : System.nanoTime();
        return Math.max(0, verifiedBytes - runStartBytes) / Math.max(1e-3, (end - startedNanos) / 1e9);
    }

    synchronized void failed(String message, int code) {
        if (phase == Phase.PAUSED || phase == Phase.CANCELLED) {
            return; // stopped by the user: not a failure
        }
        error = message;
        exitCode = code;
        endedNanos = System.nanoTime();
        end(Phase.FAILED);
    }

    private void end(Phase last) {
        enter(last);
    }

    private synchronized void enter(Phase next) {
        if (phase != next) {
            phase = next;
            notifyAll();
        }
    }

    /**
     * Returns once the phase differs from the one at the call, at once if it is one a follower
     * stops at (done, failed, paused, cancelled), else after {@code millis}.
     */
    public synchronized void awaitChange(long millis) throws InterruptedException {
        Phase seen = phase;
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (phase == seen && (phase == Phase.FINDING || phase == Phase.DOWNLOADING)) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return;
            }
            wait(Math.max(1, left / 1_000_000L));
        }
    }

    /** The content's name once its manifest arrived, else null. */
    public String name() {
        return name;
    }

    /** Bytes found verified on disk when the last run started (a resume), known once it completed. */
    public long resumedBytes() {
        return resumedBytes;
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
