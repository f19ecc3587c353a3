package dev.p2p.dht.net;

import dev.p2p.dht.Cancellable;
import dev.p2p.dht.Environment;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.Message;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import io.netty.channel.socket.DatagramPacket;
import java.net.InetSocketAddress;
import java.security.SecureRandom;
import java.util.Random;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;

/** The real world for a DHT node: the channel's event loop for time and timers, its UDP socket for sending. */
final class NettyEnvironment implements Environment {
    private final Channel channel;
    private final EventLoop loop;
    /**
     * Transaction ids and IDENTIFY nonces come from here and must be unpredictable: a guessed id
     * lets an off-path sender forge answers, a guessed nonce lets a proof be fetched in advance.
     */
    private final Random random = new SecureRandom();
    private final long origin = System.nanoTime();
    long bytesOut;
    long datagramsOut;

    NettyEnvironment(Channel channel) {
        this.channel = channel;
        this.loop = channel.eventLoop();
    }

    @Override
    public long nowMillis() {
        return (System.nanoTime() - origin) / 1_000_000L;
    }

    @Override
    public Random random() {
        return random;
    }

    @Override
    public Cancellable schedule(long delayMillis, Runnable task) {
        ScheduledFuture<?> f = loop.schedule(task, delayMillis, TimeUnit.MILLISECONDS);
        return () -> f.cancel(false);
    }

    @Override
    public void send(InetSocketAddress to, Message message) {
        byte[] bytes = Codec.encode(message);
        bytesOut += bytes.length;
        datagramsOut++;
        channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(bytes), to), channel.voidPromise());
    }
}
