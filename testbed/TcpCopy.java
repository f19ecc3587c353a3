import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.ArrayList;
import java.util.List;

/**
 * The raw TCP copy rate across the test bed's links: the limit a download's rate is compared to.
 *   java TcpCopy.java receive PORT SENDERS   prints the aggregate rate once SENDERS streams ended
 *   java TcpCopy.java send HOST PORT BYTES
 */
public class TcpCopy {
    public static void main(String[] args) throws Exception {
        if (args[0].equals("receive")) {
            int senders = Integer.parseInt(args[2]);
            try (ServerSocket server = new ServerSocket(Integer.parseInt(args[1]))) {
                System.out.println("listening");
                List<Thread> readers = new ArrayList<>();
                long[] total = new long[1];
                long[] first = new long[1];
                for (int i = 0; i < senders; i++) {
                    Socket s = server.accept();
                    if (i == 0) {
                        first[0] = System.nanoTime();
                    }
                    Thread t = new Thread(() -> {
                        byte[] buf = new byte[1 << 16];
                        long n = 0;
                        try (s; InputStream in = s.getInputStream()) {
                            for (int r; (r = in.read(buf)) > 0; ) {
                                n += r;
                            }
                        } catch (Exception e) {
                            throw new RuntimeException(e);
                        }
                        synchronized (total) {
                            total[0] += n;
                        }
                    });
                    t.start();
                    readers.add(t);
                }
                for (Thread t : readers) {
                    t.join();
                }
                double seconds = (System.nanoTime() - first[0]) / 1e9;
                System.out.printf("raw TCP: %d bytes from %d senders in %.2f s = %.1f MB/s%n", total[0], senders, seconds,
                        total[0] / seconds / 1e6);
            }
        } else {
            long bytes = Long.parseLong(args[3]);
            byte[] buf = new byte[1 << 16];
            try (Socket s = new Socket()) {
                s.connect(new InetSocketAddress(args[1], Integer.parseInt(args[2])), 10_000);
                OutputStream out = s.getOutputStream();
                for (long left = bytes; left > 0; left -= buf.length) {
                    out.write(buf, 0, (int) Math.min(buf.length, left));
                }
            }
        }
    }
}
