package dev.p2p.transfer.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.util.ReferenceCountUtil;

/**
 * Base of the protocol handlers: gets decoded {@link Message}s one at a time, always releases
 * chunk buffers afterwards, and closes the connection on any error, so a hostile peer costs its
 * connection and never the node.
 */
public abstract class MessageHandler extends ChannelInboundHandlerAdapter {
    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        try {
            handle(ctx, (Message) msg);
        } finally {
            ReferenceCountUtil.release(msg instanceof Message.ChunkData c ? c.data() : msg);
        }
    }

    /** Handles one message; {@link Message.ChunkData} buffers are released after this returns. */
    protected abstract void handle(ChannelHandlerContext ctx, Message msg);

    /** Called before the connection is closed because of {@code cause}. */
    protected void onError(Throwable cause) {}

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        onError(cause);
        ctx.close();
    }
}
