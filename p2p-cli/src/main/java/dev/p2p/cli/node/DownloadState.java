package dev.p2p.cli.node;

import dev.p2p.transfer.fetch.DownloadListener;

/** A download as `p2p ls` and the control API show it; updated from I/O threads. */
public final class DownloadState implements DownloadListener {
    public enum Phase { FINDING, DOWNLOADING, DONE, FAILED }

    public final String id;
    public final String link;
    public final String outputDir;
    private volatile Phase phase = Phase.FINDING;
    private volatile long verifiedBytes;
    private volatile long totalBytes;
    private volatile int peers;
    private volatile String error;
    private volatile String path;
    private volatile int exitCode;

    DownloadState(String id, String link, String outputDir) {
        this.id = id;
        this.link = link;
        this.outputDir = outputDir;
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
        phase = Phase.DONE;
    }

    void failed(String message, int code) {
        error = message;
        exitCode = code;
        phase = Phase.FAILED;
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
}
