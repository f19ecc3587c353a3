package dev.p2p.transfer.fuzz;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.p2p.transfer.content.Manifest;
import dev.p2p.transfer.content.ManifestCodec;
import dev.p2p.transfer.content.ManifestEntry;
import dev.p2p.transfer.content.ManifestException;
import dev.p2p.transfer.content.PathRules;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.wire.Message;
import dev.p2p.transfer.wire.MessageCodec;
import dev.p2p.transfer.wire.WireCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.embedded.EmbeddedChannel;
import io.netty.handler.codec.DecoderException;
import java.nio.file.Path;

/**
 * Fuzz tests for everything that parses bytes from the network or text from users. In a normal
 * test run each replays its inputs under src/test/resources/dev/p2p/transfer/fuzz/ParserFuzzTestInputs/;
 * with JAZZER_FUZZ=1 it fuzzes.
 */
class ParserFuzzTest {
    private static final Path ROOT = Path.of("/nonexistent/download-root");

    /** The frame decoder and message decoder must refuse garbage cleanly, and what they accept re-encodes to itself. */
    @FuzzTest(maxDuration = "60s")
    void frameDecoder(FuzzedDataProvider data) {
        EmbeddedChannel ch = new EmbeddedChannel();
        WireCodec.install(ch.pipeline());
        ch.pipeline().addLast(new ChannelInboundHandlerAdapter() {
            @Override
            public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
                ctx.close(); // as the protocol handlers do; keeps EmbeddedChannel from logging each one
            }
        });
        byte[] input = data.consumeRemainingAsBytes();
        try {
            ch.writeInbound(Unpooled.wrappedBuffer(input));
        } catch (DecoderException e) {
            // refused: the connection would be closed
        }
        for (Object o = ch.readInbound(); o != null; o = ch.readInbound()) {
            Message m = (Message) o;
            ByteBuf again = MessageCodec.encode(m, ch.alloc());
            try {
                if (!(m instanceof Message.Refuse)) { // refusal text is decoded leniently
                    byte[] frame = new byte[again.readableBytes()];
                    again.readBytes(frame);
                    int at = indexOf(input, frame);
                    assertEquals(true, at >= 0, "re-encoding " + m + " gives the bytes it came from");
                }
            } finally {
                again.release();
                if (m instanceof Message.ChunkData c) {
                    c.data().release();
                }
            }
        }
        ch.finishAndReleaseAll();
    }

    /** The manifest parser refuses with ManifestException only, and what it accepts is canonical and safe. */
    @FuzzTest(maxDuration = "60s")
    void manifestParser(FuzzedDataProvider data) {
        byte[] bytes = data.consumeRemainingAsBytes();
        Manifest m;
        try {
            m = ManifestCodec.decode(bytes);
        } catch (ManifestException e) {
            return;
        }
        assertArrayEquals(bytes, ManifestCodec.encode(m));
        Path top = PathRules.resolveInside(ROOT, m.name());
        for (ManifestEntry e : m.entries()) {
            Path p = PathRules.resolveInside(top, e.path());
            assertEquals(true, p.startsWith(top));
        }
    }

    /** The share-link parser refuses with IllegalArgumentException only, and what it accepts round-trips. */
    @FuzzTest(maxDuration = "60s")
    void shareLinkParser(FuzzedDataProvider data) {
        String text = data.consumeRemainingAsString();
        ShareLink link;
        try {
            link = ShareLink.parse(text);
        } catch (IllegalArgumentException e) {
            return;
        }
        assertEquals(link, ShareLink.parse(link.format()));
    }

    private static int indexOf(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i + needle.length <= haystack.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
