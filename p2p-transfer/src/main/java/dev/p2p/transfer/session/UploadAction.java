package dev.p2p.transfer.session;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.wire.Message;

/** What an {@link UploadMachine} asks of its host, one at a time from {@link UploadMachine#poll}. */
public sealed interface UploadAction {
    /** Send {@code message} to the peer (the host may batch sends until it drains the queue). */
    record Send(Message message) implements UploadAction {}

    /** Close the connection. */
    record Close() implements UploadAction {}

    /** Read, check and hand back the chunk with {@code onChunkRead}; nothing else is read meanwhile. */
    record Read(Message.Request request) implements UploadAction {}

    /** Tell {@code onAvailable} of every chunk of {@code content} that becomes available from now on. */
    record Subscribe(ContentId content) implements UploadAction {}

    /** The peer proved who it is and said HELLO: its connection no longer counts as handshaking. */
    record Introduced() implements UploadAction {}
}
