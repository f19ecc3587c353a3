package dev.p2p.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.fetch.DownloadListener;
import java.net.InetAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A program embedding a node can stop it at any time, and nothing waits on it forever. */
class NodeLifecycleTest {
    @TempDir Path tmp;

    @Test
    void closingANodeEndsAGetStillLookingForProviders() throws Exception {
        Node node = Node.start(NodeConfig.defaults(tmp.resolve("n")).withBindHost(InetAddress.getLoopbackAddress()));
        ShareLink nobodyHasIt = new ShareLink(ContentId.of(new byte[32]), List.of());
        CompletableFuture<Object> get = CompletableFuture.supplyAsync(() -> {
            try {
                return node.get(nobodyHasIt, tmp.resolve("out"), Duration.ofMinutes(10), DownloadListener.NONE);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });
        Thread.sleep(1_500); // it asks the DHT, finds nobody, and asks again every second
        node.close();
        ExecutionException e = assertThrows(ExecutionException.class, () -> get.get(10, TimeUnit.SECONDS));
        NodeException n = (NodeException) e.getCause();
        assertEquals(NodeException.Kind.TRANSFER, n.kind());
        assertTrue(n.getMessage().contains("closed"), n.getMessage());
        node.close(); // a second close does nothing
    }
}
