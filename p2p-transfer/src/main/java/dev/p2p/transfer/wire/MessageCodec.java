package dev.p2p.transfer.wire;

import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.Manifest;
import dev.p2p.transfer.content.ManifestCodec;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufAllocator;
import java.nio.charset.StandardCharsets;

/**
 * Encodes and decodes message bodies (the bytes after the 4-byte frame length): one type byte,
 * then the fields in network byte order. Decoding checks every length against the frame before
 * allocating and refuses trailing bytes.
 */
public final class MessageCodec {
    public static final int HELLO = 1, GET_MANIFEST = 2, MANIFEST = 3, GET_HASHES = 4, HASHES = 5,
            BITFIELD = 6, HAVE = 7, REQUEST = 8, CHUNK = 9, CANCEL = 10, REFUSE = 11;
    /** Largest hash page: 8192 hashes (256 KiB). */
    public static final int MAX_HASHES_PER_PAGE = 8192;
    public static final int MAX_REFUSE_TEXT = 256;
    /** Largest frame body: a maximal chunk or manifest plus its header. */
    public static final int MAX_FRAME = Math.max(Manifest.MAX_CHUNK_SIZE, ManifestCodec.MAX_BYTES) + 64;
    private static final int MAX_CHUNKS = 1 << 24;

    private MessageCodec() {}

    /** Type byte of a message. */
    public static int type(Message m) {
        if (m instanceof Message.Hello) return HELLO;
        if (m instanceof Message.GetManifest) return GET_MANIFEST;
        if (m instanceof Message.ManifestData) return MANIFEST;
        if (m instanceof Message.GetHashes) return GET_HASHES;
        if (m instanceof Message.HashesData) return HASHES;
        if (m instanceof Message.Bitfield) return BITFIELD;
        if (m instanceof Message.Have) return HAVE;
        if (m instanceof Message.Request) return REQUEST;
        if (m instanceof Message.ChunkData) return CHUNK;
        if (m instanceof Message.Cancel) return CANCEL;
        return REFUSE;
    }

    /**
     * Writes the frame header and fixed fields of {@code m} into {@code out}, length prefix
     * included. For {@link Message.ChunkData} the data is not copied: the caller writes it after.
     */
    public static void writeFrame(Message m, ByteBuf out) {
        int lengthAt = out.writerIndex();
        out.writeInt(0);
        out.writeByte(type(m));
        int extra = 0;
        if (m instanceof Message.Hello h) {
            out.writeShort(h.version());
            out.writeBytes(h.nodeId().toBytes());
        } else if (m instanceof Message.GetManifest g) {
            out.writeBytes(g.content().toBytes());
        } else if (m instanceof Message.ManifestData d) {
            out.writeBytes(d.content().toBytes()).writeBytes(d.manifest());
        } else if (m instanceof Message.GetHashes g) {
            out.writeBytes(g.content().toBytes()).writeInt(g.entry()).writeInt(g.first()).writeInt(g.count());
        } else if (m instanceof Message.HashesData d) {
            out.writeBytes(d.content().toBytes()).writeInt(d.entry()).writeInt(d.first()).writeBytes(d.hashes());
        } else if (m instanceof Message.Bitfield b) {
            out.writeBytes(b.content().toBytes()).writeInt(b.chunkCount()).writeBytes(b.bits());
        } else if (m instanceof Message.Have h) {
            out.writeBytes(h.content().toBytes()).writeInt(h.chunk());
        } else if (m instanceof Message.Request r) {
            out.writeBytes(r.content().toBytes()).writeInt(r.chunk());
        } else if (m instanceof Message.ChunkData c) {
            out.writeBytes(c.content().toBytes()).writeInt(c.chunk());
            extra = c.data().length();
        } else if (m instanceof Message.Cancel c) {
            out.writeBytes(c.content().toBytes()).writeInt(c.chunk());
        } else if (m instanceof Message.Refuse r) {
            byte[] text = r.text().getBytes(StandardCharsets.UTF_8);
            int len = Math.min(text.length, MAX_REFUSE_TEXT);
            out.writeBytes(r.content().toBytes()).writeByte(r.refusedType()).writeInt(r.index())
                    .writeByte(r.reason().code).writeBytes(text, 0, len);
        }
        out.setInt(lengthAt, out.writerIndex() - lengthAt - 4 + extra);
    }

    /** Encodes a message without chunk data into a new buffer (tests, small messages). */
    public static ByteBuf encode(Message m, ByteBufAllocator alloc) {
        ByteBuf out = alloc.buffer(64);
        writeFrame(m, out);
        if (m instanceof Message.ChunkData c) {
            ByteBuf data = ByteBufPayload.buf(c.data());
            out.writeBytes(data, data.readerIndex(), data.readableBytes());
        }
        return out;
    }

    /**
     * Decodes one frame body. A {@link Message.ChunkData} gets a retained slice of {@code body} (its payload);
     * the caller still releases {@code body} itself.
     */
    public static Message decode(ByteBuf body) {
        if (body.readableBytes() > MAX_FRAME) {
            throw new ProtocolException("frame of " + body.readableBytes() + " bytes exceeds " + MAX_FRAME);
        }
        need(body, 1);
        int type = body.readUnsignedByte();
        Message m = switch (type) {
            case HELLO -> {
                need(body, 2 + NodeId.BYTES);
                int version = body.readUnsignedShort();
                yield new Message.Hello(version, NodeId.of(bytes(body, NodeId.BYTES)));
            }
            case GET_MANIFEST -> new Message.GetManifest(content(body));
            case MANIFEST -> {
                ContentId id = content(body);
                if (body.readableBytes() > ManifestCodec.MAX_BYTES) {
                    throw new ProtocolException("manifest too large");
                }
                yield new Message.ManifestData(id, bytes(body, body.readableBytes()));
            }
            case GET_HASHES -> {
                ContentId id = content(body);
                int entry = nonNegative(body), first = nonNegative(body), count = nonNegative(body);
                if (count == 0 || count > MAX_HASHES_PER_PAGE) {
                    throw new ProtocolException("hash page of " + count + " hashes");
                }
                yield new Message.GetHashes(id, entry, first, count);
            }
            case HASHES -> {
                ContentId id = content(body);
                int entry = nonNegative(body), first = nonNegative(body);
                int n = body.readableBytes();
                if (n == 0 || n % 32 != 0 || n / 32 > MAX_HASHES_PER_PAGE) {
                    throw new ProtocolException("hash page of " + n + " bytes");
                }
                yield new Message.HashesData(id, entry, first, bytes(body, n));
            }
            case BITFIELD -> {
                ContentId id = content(body);
                int count = nonNegative(body);
                if (count > MAX_CHUNKS || body.readableBytes() != (count + 7) / 8) {
                    throw new ProtocolException("bitfield length does not match " + count + " chunks");
                }
                yield new Message.Bitfield(id, count, bytes(body, body.readableBytes()));
            }
            case HAVE -> new Message.Have(content(body), nonNegative(body));
            case REQUEST -> new Message.Request(content(body), nonNegative(body));
            case CANCEL -> new Message.Cancel(content(body), nonNegative(body));
            case CHUNK -> {
                ContentId id = content(body);
                int chunk = nonNegative(body);
                if (body.readableBytes() > Manifest.MAX_CHUNK_SIZE) {
                    throw new ProtocolException("chunk larger than " + Manifest.MAX_CHUNK_SIZE);
                }
                yield new Message.ChunkData(id, chunk, new ByteBufPayload(body.readRetainedSlice(body.readableBytes())));
            }
            case REFUSE -> {
                ContentId id = content(body);
                need(body, 6);
                int refused = body.readUnsignedByte();
                int index = body.readInt();
                Message.Reason reason = Message.Reason.of(body.readUnsignedByte());
                if (body.readableBytes() > MAX_REFUSE_TEXT) {
                    throw new ProtocolException("refusal text too long");
                }
                String text = body.readCharSequence(body.readableBytes(), StandardCharsets.UTF_8).toString();
                yield new Message.Refuse(id, refused, index, reason, text);
            }
            default -> throw new ProtocolException("unknown message type " + type);
        };
        if (body.isReadable()) {
            if (m instanceof Message.ChunkData c) {
                c.data().release();
            }
            throw new ProtocolException(body.readableBytes() + " trailing bytes in message type " + type);
        }
        return m;
    }

    private static void need(ByteBuf body, int n) {
        if (body.readableBytes() < n) {
            throw new ProtocolException("message truncated");
        }
    }

    private static byte[] bytes(ByteBuf body, int n) {
        need(body, n);
        byte[] b = new byte[n];
        body.readBytes(b);
        return b;
    }

    private static ContentId content(ByteBuf body) {
        return ContentId.of(bytes(body, ContentId.BYTES));
    }

    private static int nonNegative(ByteBuf body) {
        need(body, 4);
        int v = body.readInt();
        if (v < 0) {
            throw new ProtocolException("negative index");
        }
        return v;
    }
}
