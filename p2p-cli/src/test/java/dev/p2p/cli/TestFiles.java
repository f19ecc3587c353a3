package dev.p2p.cli;

import java.io.IOException;
import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.DatagramSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;

final class TestFiles {
    private TestFiles() {}

    static Path randomFile(Path file, long bytes, long seed) throws IOException {
        Random r = new Random(seed);
        byte[] buf = new byte[1 << 20];
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; left -= buf.length) {
                r.nextBytes(buf);
                out.write(buf, 0, (int) Math.min(buf.length, left));
            }
        }
        return file;
    }

    /** A port free for both TCP and UDP right now. */
    static int freePort() throws IOException {
        for (int i = 0; i < 50; i++) {
            try (ServerSocket s = new ServerSocket(0)) {
                int p = s.getLocalPort();
                try (DatagramSocket d = new DatagramSocket(p)) {
                    return p;
                } catch (IOException taken) {
                    // try another
                }
            }
        }
        throw new IOException("no free port");
    }

    /** The link without peer hints: whoever uses it must find providers through the DHT. */
    static String withoutHints(String link) {
        int q = link.indexOf('?');
        return q < 0 ? link : link.substring(0, q);
    }
}
