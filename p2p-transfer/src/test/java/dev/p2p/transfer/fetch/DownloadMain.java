package dev.p2p.transfer.fetch;

import dev.p2p.dht.Identity;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.List;

/**
 * A downloader in its own JVM, for the crash-and-resume test. Arguments: content id, peer
 * ({@code <id>@host:port}), output directory. Prints {@code DONE <resumed> <received>} and exits
 * 0 when complete; exits 2 with the reason on failure. Prints {@code P <verified bytes>} as it goes.
 */
public final class DownloadMain {
    public static void main(String[] args) throws Exception {
        try (Downloader d = new Downloader(Identity.generate(new SecureRandom()), DownloadConfig.DEFAULTS)) {
            DownloadResult r = d.download(ContentId.parse(args[0]), List.of(PeerAddress.parse(args[1])),
                    Path.of(args[2]), new DownloadListener() {
                        @Override
                        public void onProgress(long verified, long total, int peers) {
                            System.out.println("P " + verified);
                        }
                    });
            System.out.println("DONE " + r.resumedBytes() + " " + r.receivedBytes());
        } catch (DownloadException e) {
            System.out.println("FAILED " + e.getMessage());
            System.exit(2);
        }
    }
}
