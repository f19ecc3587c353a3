package dev.p2p.bench;

import dev.p2p.dht.Contact;
import dev.p2p.dht.DhtConfig;
import dev.p2p.dht.NodeId;
import dev.p2p.dht.RoutingTable;
import dev.p2p.dht.wire.Codec;
import dev.p2p.dht.wire.MalformedMessageException;
import dev.p2p.dht.wire.Message;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

/**
 * Routing-table and codec throughput, beside a limit measured in the same run: SHA-256 of the same
 * NODES datagram (every datagram a real node handles is at least read once; hashing it is a fixed,
 * well-known amount of work to compare against on a noisy shared machine).
 */
@State(Scope.Thread)
public class DhtMicroBench {
    RoutingTable table;
    NodeId[] targets;
    int next;
    byte[] nodesDatagram;
    Message nodesMessage;
    MessageDigest sha256;

    @Setup
    public void setup() throws Exception {
        Random r = new Random(1);
        NodeId self = NodeId.random(r);
        table = new RoutingTable(self, DhtConfig.defaults());
        // a table as a node in a 100,000-node network has it: ~17 populated buckets
        for (int i = 0; i < 100_000; i++) {
            table.offer(new Contact(NodeId.random(r), new InetSocketAddress(InetAddress.getLoopbackAddress(), 1 + i % 65000)), i);
        }
        targets = new NodeId[1024];
        for (int i = 0; i < targets.length; i++) {
            targets[i] = NodeId.random(r);
        }
        List<Contact> contacts = new ArrayList<>(table.closest(targets[0], Codec.MAX_CONTACTS));
        nodesMessage = new Message.Nodes(new Message.Header(7, self, false),
                new InetSocketAddress(InetAddress.getByAddress(new byte[] {(byte) 192, 0, 2, 1}), 4000), contacts);
        nodesDatagram = Codec.encode(nodesMessage);
        sha256 = MessageDigest.getInstance("SHA-256");
    }

    @Benchmark
    public List<Contact> closest20() {
        return table.closest(targets[next++ & 1023], 20);
    }

    @Benchmark
    public byte[] encodeNodes() {
        return Codec.encode(nodesMessage);
    }

    @Benchmark
    public Message decodeNodes() throws MalformedMessageException {
        return Codec.decode(nodesDatagram);
    }

    @Benchmark
    public byte[] limitSha256OfSameDatagram() throws NoSuchAlgorithmException {
        return sha256.digest(nodesDatagram);
    }

    int tableSize() {
        return table.size();
    }
}
