package dev.p2p.transfer.wire;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;

/**
 * Base of the protocol handlers: gets decoded {@link Message}s one at a time and closes the
 * connection on any error, so a hostile peer costs its connection and never the node. A handler
 * owns the payload of every {@link Message.ChunkData} it is given: it releases it or hands it on.
 */
public abstract class MessageHandler extends ChannelInboundHandlerAdapter {
    @Override
    public final void channelRead(ChannelHandlerContext ctx, Object msg) {
        handle(ctx, (Message) msg);
    }

    /** Handles one message, taking ownership of a {@link Message.ChunkData}'s payload. */
    protected abstract void handle(ChannelHandlerContext ctx, Message msg);

    /** Called before the connection is closed because of {@code cause}. */
    protected void onError(ChannelHandlerContext ctx, Throwable cause) {}

    @Override
    public final void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        onError(ctx, cause);
        ctx.close();
    }
}
