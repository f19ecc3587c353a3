package dev.p2p.transfer.fetch;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.p2p.transfer.content.Indexer;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.serve.ServerConfig;
import dev.p2p.transfer.serve.TransferServer;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Arrays;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Symbolic links never let a share reach outside its tree: links found when sharing are refused,
 * and a file or directory swapped for a link after sharing is never served, even when the bytes
 * behind the link would match the hashes.
 */
class SymlinkShareTest {
    private static final byte[] SECRET = "TOP-SECRET-OUTSIDE-THE-SHARE".getBytes(StandardCharsets.US_ASCII);
    @TempDir Path tmp;

    @Test
    void linksInsideASharedTreeAreRefusedWhenSharing() throws Exception {
        Path outside = secretFile(tmp.resolve("outside/secret.txt"), 4096);
        Path share = Files.createDirectories(tmp.resolve("share"));
        Seeders.randomFile(share.resolve("a.bin"), 4096, 1);
        Path fileLink = Files.createSymbolicLink(share.resolve("passwd"), outside);
        IOException e = assertThrows(IOException.class, () -> new Indexer().index(share, (d, t) -> {}));
        assertTrue(e.getMessage().contains("passwd") && e.getMessage().contains("link"), e.getMessage());
        Files.delete(fileLink);
        Files.createSymbolicLink(share.resolve("etc"), outside.getParent());
        e = assertThrows(IOException.class, () -> new Indexer().index(share, (d, t) -> {}));
        assertTrue(e.getMessage().contains("etc") && e.getMessage().contains("link"), e.getMessage());
        Path linkToFile = Files.createSymbolicLink(tmp.resolve("shared-link"), outside);
        assertThrows(IOException.class, () -> new Indexer().index(linkToFile, (d, t) -> {}));
    }

    @Test
    void fileSwappedForALinkAfterSharingIsNeverServed() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path a = Seeders.randomFile(share.resolve("a.bin"), 1 << 20, 2);
        SharedContent content = new Indexer().index(share, (d, t) -> {});
        Path secret = secretFile(tmp.resolve("outside/secret.bin"), 1 << 20); // same size, same mtime
        Files.setLastModifiedTime(secret, Files.getLastModifiedTime(a));
        Files.delete(a);
        Files.createSymbolicLink(a, secret);
        assertNothingServed(content);
    }

    @Test
    void directorySwappedForALinkAfterSharingIsNeverServedEvenWithMatchingBytes() throws Exception {
        Path share = Files.createDirectories(tmp.resolve("share"));
        Path b = Seeders.randomFile(share.resolve("sub/b.bin"), 1 << 20, 3);
        SharedContent content = new Indexer().index(share, (d, t) -> {});
        Path elsewhere = Files.createDirectories(tmp.resolve("outside/sub"));
        Files.copy(b, elsewhere.resolve("b.bin"), StandardCopyOption.COPY_ATTRIBUTES); // same bytes, size, mtime
        Files.move(share.resolve("sub"), tmp.resolve("moved-away"));
        Files.createSymbolicLink(share.resolve("sub"), elsewhere);
        assertNothingServed(content); // the bytes would verify, but the path leads outside the share
    }

    private void assertNothingServed(SharedContent content) throws Exception {
        try (Seeders seeders = new Seeders(); Downloader d = AdversityTest.downloader()) {
            TransferServer server = seeders.start(content, ServerConfig.DEFAULTS, 1);
            Path out = tmp.resolve("out");
            DownloadException e = assertThrows(DownloadException.class,
                    () -> d.download(content.id(), seeders.addresses(), out, DownloadListener.NONE));
            assertTrue(e.getMessage().contains("changed on disk"), e.getMessage());
            assertEquals(0, server.bytesUploaded(), "no byte behind the link was sent");
            assertFalse(Files.exists(out.resolve("share")));
            try (Stream<Path> files = Files.walk(out)) {
                for (Path p : files.filter(Files::isRegularFile).toList()) {
                    assertEquals(-1, indexOf(Files.readAllBytes(p), SECRET), "secret bytes in " + p);
                }
            }
        }
    }

    /** A file of {@code size} bytes made of the secret marker repeated. */
    private static Path secretFile(Path p, int size) throws IOException {
        Files.createDirectories(p.getParent());
        byte[] data = new byte[size];
        for (int i = 0; i < size; i++) {
            data[i] = SECRET[i % SECRET.length];
        }
        return Files.write(p, data);
    }

    private static int indexOf(byte[] hay, byte[] needle) {
        for (int i = 0; i + needle.length <= hay.length; i++) {
            if (Arrays.equals(hay, i, i + needle.length, needle, 0, needle.length)) {
                return i;
            }
        }
        return -1;
    }
}
