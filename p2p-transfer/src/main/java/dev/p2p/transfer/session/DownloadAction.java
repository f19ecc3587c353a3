package dev.p2p.transfer.session;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ChunkLayout;
import dev.p2p.transfer.content.Manifest;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.wire.ChunkPayload;
import dev.p2p.transfer.wire.Message;

/**
 * What a {@link DownloadMachine} asks of its host, one at a time from {@link DownloadMachine#poll}.
 * Connection, disk and report actions; the host answers disk actions with the matching input
 * ({@code onStoreOpened}, {@code onWritten}, {@code onCommitted}, {@code onPublished}, or
 * {@code onDiskFailed}), in the order it was asked.
 */
public sealed interface DownloadAction {
    /**
     * Open a connection to the peer; answer with {@code onConnected}, {@code onConnectFailed} or
     * {@code onClosed}, or with {@code onReused} when a connection to it was kept (see {@link Close}).
     */
    record Dial(PeerAddress peer) implements DownloadAction {}

    /** Send {@code message} on the peer's connection (the host may batch sends until it drains the queue). */
    record Send(NodeId peer, Message message) implements DownloadAction {}

    /**
     * Close the peer's connection; {@code onClosed} follows, unless {@code reusable}: the download
     * completed with the peer in good standing, and the host may keep the connection for its next
     * download from that peer instead (the machine expects nothing more of it either way).
     */
    record Close(NodeId peer, String reason, boolean reusable) implements DownloadAction {}

    /**
     * Open (or resume) the partial download for this layout; its chunks' leaf hashes are
     * {@code leaves}. Only the entries in {@code selection} are fetched, and only they are published.
     */
    record OpenStore(ChunkLayout layout, byte[] manifestBytes, byte[] leaves, Selection selection) implements DownloadAction {}

    /** Write a verified chunk in place; the host then releases {@code data}. */
    record Write(int chunk, ChunkPayload data) implements DownloadAction {}

    /** Make the chunks written so far durable, then journal them as verified. */
    record Commit() implements DownloadAction {}

    /** Everything is verified and written: publish the content under its final name. */
    record Publish() implements DownloadAction {}

    /** The download ended without completing: journal what was written and let go of the store. */
    record Abandon() implements DownloadAction {}

    /** The manifest arrived and matches the content id. */
    record ManifestKnown(Manifest manifest) implements DownloadAction {}

    /** Progress: bytes verified so far (resumed ones included) of {@code totalBytes}, with {@code peers} connected. */
    record Progress(long verifiedBytes, long totalBytes, int peers) implements DownloadAction {}

    /** A peer sent a chunk that failed verification. */
    record BadChunk(NodeId peer, int chunk) implements DownloadAction {}

    /** A peer is banned from this download. */
    record Banned(NodeId peer, String reason) implements DownloadAction {}

    /** The content is complete, verified and published. */
    record Completed(DownloadResult result) implements DownloadAction {}

    /**
     * The download failed; verified chunks stay on disk for a later resume.
     *
     * @param why what kind of failure it is, for the caller's exit code
     */
    record Failed(String reason, Why why) implements DownloadAction {}

    /** Kinds of {@link Failed}. */
    enum Why {
        /** Peers, verification or the disk stopped it. */
        TRANSFER,
        /**
         * No manifest came and a peer said it does not share the content: nobody reached provides
         * it (a provider record outlived the share, or the link names old content).
         */
        NOT_PROVIDED,
        /** The download's {@link Selection} matches no file of the content. */
        NOTHING_SELECTED
    }

}
