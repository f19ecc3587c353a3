package dev.p2p.transfer.session;

import dev.p2p.transfer.content.ContentId;
import java.util.HashMap;
import java.util.Map;

/**
 * A node's transfer limits, shared by all of its machines: how many peers are served at once, the
 * upload byte budget its {@link UploadMachine}s book before sending a chunk, and the download
 * budget its {@link DownloadMachine}s book before requesting one. Each budget is granted at its
 * rate in bytes per second (0 = unlimited) with up to 100 ms of burst. The owner may change the
 * limits at any time, from the machines' thread. Not thread-safe: a host that runs transfers on
 * several threads serialises the calls.
 */
public class TransferLimits {
    /**
     * The limits as values.
     *
     * @param maxPeers peers served at once, at least 1
     * @param uploadBytesPerSecond total upload rate, 0 for unlimited
     * @param downloadBytesPerSecond total download rate, 0 for unlimited
     */
    public record Settings(int maxPeers, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        public Settings {
            if (maxPeers < 1 || uploadBytesPerSecond < 0 || downloadBytesPerSecond < 0) {
                throw new IllegalArgumentException("maxPeers must be >= 1 and rates >= 0");
            }
        }
    }

    private int maxPeers;
    private final RateBudget upload;
    private final RateBudget download;
    private final UploadSlots slots = new UploadSlots();
    private int peers;
    private long uploaded;
    private final Map<ContentId, Long> uploadedByContent = new HashMap<>();

    /** @param uploadBytesPerSecond total upload rate over all peers, 0 for unlimited */
    public TransferLimits(int maxPeers, long uploadBytesPerSecond) {
        this(maxPeers, uploadBytesPerSecond, 0);
    }

    /** @param downloadBytesPerSecond total rate of chunk requests over all downloads, 0 for unlimited */
    public TransferLimits(int maxPeers, long uploadBytesPerSecond, long downloadBytesPerSecond) {
        this.upload = new RateBudget(uploadBytesPerSecond);
        this.download = new RateBudget(downloadBytesPerSecond);
        setMaxPeers(maxPeers);
    }

    public Settings settings() {
        return new Settings(maxPeers, upload.rate(), download.rate());
    }

    /** New limits from now on; peers served already keep their places. */
    public void apply(Settings s) {
        setMaxPeers(s.maxPeers());
        upload.setRate(s.uploadBytesPerSecond());
        download.setRate(s.downloadBytesPerSecond());
    }

    private void setMaxPeers(int peers) {
        if (peers < 1) {
            throw new IllegalArgumentException("maxPeers must be >= 1");
        }
        this.maxPeers = peers;
    }

    /** Every place is taken: {@link #admit} would refuse. */
    public boolean full() {
        return peers >= maxPeers;
    }

    /** Takes a place for one more peer; false when all are taken. */
    public boolean admit() {
        if (peers >= maxPeers) {
            return false;
        }
        peers++;
        return true;
    }

    /** Gives back a place taken by {@link #admit}. */
    public void release() {
        peers--;
    }

    /**
     * Whether {@code uploader} may send a chunk now: it holds one of the node's upload slots
     * ({@link UploadSlots}), or takes a free one; false means refuse as busy, the peer asks again.
     */
    boolean maySend(Object uploader, long now) {
        return slots.ask(uploader, now);
    }

    /** {@code uploader} is gone: its upload slot, if it held one, goes to the next that asks. */
    void leaveSlot(Object uploader) {
        slots.leave(uploader);
    }

    /** Books {@code bytes} of upload at {@code now}; returns nanoseconds to wait before sending them (0 = now). */
    public long reserve(int bytes, long now) {
        return upload.reserve(bytes, now);
    }

    /** How many requests of {@code chunkBytes} each downloads may send at {@code now}, at most {@code max}. */
    int requestsAffordable(int chunkBytes, int max, long now) {
        return download.affordable(chunkBytes, max, now);
    }

    /** Books {@code count} requests of {@code chunkBytes} each, sent at {@code now}. */
    void requested(int count, int chunkBytes, long now) {
        if (count > 0) {
            download.reserve((long) count * chunkBytes, now);
        }
    }

    /** Counts chunk bytes of {@code content} sent. */
    public void uploaded(ContentId content, int bytes) {
        uploaded += bytes;
        uploadedByContent.merge(content, (long) bytes, Long::sum);
    }

    /** Chunk payload bytes sent so far. */
    public long bytesUploaded() {
        return uploaded;
    }

    /** Chunk payload bytes of {@code content} sent so far. */
    public long bytesUploaded(ContentId content) {
        return uploadedByContent.getOrDefault(content, 0L);
    }
}
