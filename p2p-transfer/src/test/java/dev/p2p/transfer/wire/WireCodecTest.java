package dev.p2p.transfer.wire;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.serve.ServedContent;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.buffer.Unpooled;
import io.netty.buffer.UnpooledByteBufAllocator;
import io.netty.channel.embedded.EmbeddedChannel;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** A chunk frame on the wire: the same bytes whether its header could go in front of the chunk's buffer or not. */
class WireCodecTest {
    private static final ContentId CONTENT = ContentId.of(new byte[ContentId.BYTES]);
    private final byte[] bytes = new byte[256 * 1024];

    WireCodecTest() {
        new Random(7).nextBytes(bytes);
    }

    @Test
    void aChunkReadForSendingLeavesAsOneBufferThatDecodesToTheChunk() {
        ByteBuf data = ServedContent.chunkBuffer(UnpooledByteBufAllocator.DEFAULT, bytes.length).writeBytes(bytes);
        List<ByteBuf> written = encode(data);
        assertEquals(1, written.size(), "header and chunk in one buffer");
        assertChunk(written);
    }

    @Test
    void aChunkWithoutRoomInFrontGetsAHeaderBufferOfItsOwn() {
        List<ByteBuf> written = encode(Unpooled.wrappedBuffer(bytes.clone()));
        assertEquals(2, written.size());
        assertChunk(written);
    }

    @Test
    void aSharedChunkBufferIsNotWrittenInto() {
        ByteBuf data = ServedContent.chunkBuffer(UnpooledByteBufAllocator.DEFAULT, bytes.length).writeBytes(bytes);
        ByteBuf other = data.retainedDuplicate(); // someone else still reads these bytes
        byte[] front = ByteBufUtil.getBytes(data, 0, ServedContent.HEADROOM);
        List<ByteBuf> written = encode(data);
        assertEquals(2, written.size());
        assertArrayEquals(front, ByteBufUtil.getBytes(other, 0, ServedContent.HEADROOM));
        assertChunk(written);
        other.release();
    }

    private static List<ByteBuf> encode(ByteBuf data) {
        EmbeddedChannel out = new EmbeddedChannel(new WireCodec.Encoder());
        out.writeOutbound(new Message.ChunkData(CONTENT, 9, new ByteBufPayload(data)));
        List<ByteBuf> written = new ArrayList<>();
        for (ByteBuf b; (b = out.readOutbound()) != null; ) {
            written.add(b);
        }
        return written;
    }

    private void assertChunk(List<ByteBuf> written) {
        EmbeddedChannel in = new EmbeddedChannel();
        WireCodec.install(in.pipeline());
        for (ByteBuf b : written) {
            in.writeInbound(b);
        }
        Message.ChunkData chunk = assertInstanceOf(Message.ChunkData.class, in.readInbound());
        assertEquals(CONTENT, chunk.content());
        assertEquals(9, chunk.chunk());
        assertArrayEquals(bytes, ByteBufUtil.getBytes(ByteBufPayload.buf(chunk.data())));
        chunk.data().release();
        assertNull(in.readInbound());
        in.finishAndReleaseAll();
    }
}
