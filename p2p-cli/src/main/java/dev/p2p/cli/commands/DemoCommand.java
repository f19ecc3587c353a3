package dev.p2p.cli.commands;

import dev.p2p.cli.CliConfig;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.P2pCommand;
import dev.p2p.cli.UserError;
import dev.p2p.cli.node.DownloadState;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.cli.ui.Printer;
import dev.p2p.cli.ui.ProgressBar;
import dev.p2p.dht.NodeId;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.DigestInputStream;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.stream.Stream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParentCommand;

@Command(name = "demo", mixinStandardHelpOptions = true,
        description = {"See it work on this machine: start a small network on 127.0.0.1 (a bootstrap node, seeders and "
                + "a downloader, each with its own ports and data directory), share a file of random bytes, fetch it "
                + "through the DHT from all seeders at once, and check it arrived byte for byte."},
        footerHeading = "%nExamples:%n", footer = {"  p2p demo", "  p2p demo --size 256M --seeders 3", "  p2p demo --json"})
public final class DemoCommand implements Callable<Integer> {
    @ParentCommand
    P2pCommand top;

    @Option(names = "--size", paramLabel = "BYTES", description = "Size of the shared file, like 64M or 1G (default: 64M).")
    String size = "64M";

    @Option(names = "--seeders", paramLabel = "N", description = "Seeders sharing the file (1-8, default: 2).")
    int seeders = 2;

    @Option(names = "--keep", description = "Keep the demo's files and data directories instead of deleting them.")
    boolean keep;

    @Override
    public Integer call() throws Exception {
        long bytes = parseSize(size);
        if (seeders < 1 || seeders > 8) {
            throw new UserError(ExitCode.USAGE, "--seeders must be 1-8");
        }
        Path dir = Files.createTempDirectory("p2p-demo-");
        List<LocalNode> nodes = new ArrayList<>();
        try {
            return run(dir, bytes, nodes);
        } finally {
            nodes.forEach(LocalNode::close);
            if (keep) {
                System.err.println("kept " + dir);
            } else {
                deleteTree(dir);
            }
        }
    }

    private int run(Path dir, long bytes, List<LocalNode> nodes) throws Exception {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        boolean text = !top.json();
        say(text, "p2p demo: a network of " + (seeders + 2) + " nodes on 127.0.0.1, in this process (files in " + dir + ")");
        LocalNode bootstrap = start(dir, "bootstrap", loopback, nodes);
        InetSocketAddress seed = new InetSocketAddress(loopback, bootstrap.port());
        say(text, String.format(Locale.ROOT, "  %-12s %s  port %d", "bootstrap", shortId(bootstrap.identity().nodeId()), bootstrap.port()));

        Path file = dir.resolve("demo.bin");
        byte[] original = writeRandomFile(file, bytes);
        ShareLink link = null;
        List<LocalNode> seederNodes = new ArrayList<>();
        for (int i = 1; i <= seeders; i++) {
            LocalNode s = start(dir, "seeder-" + i, loopback, nodes);
            s.bootstrap(List.of(seed));
            SharedContent c = s.share(file, IndexProgress.NONE);
            link = new ShareLink(c.id(), List.of()); // no peer hints: the downloader must find seeders through the DHT
            seederNodes.add(s);
            say(text, String.format(Locale.ROOT, "  %-12s %s  port %d  shares demo.bin (%s)", "seeder " + i,
                    shortId(s.identity().nodeId()), s.port(), ProgressBar.bytes(bytes)));
        }
        LocalNode downloader = start(dir, "downloader", loopback, nodes);
        downloader.bootstrap(List.of(seed));
        say(text, String.format(Locale.ROOT, "  %-12s %s  port %d  knows only the bootstrap node", "downloader",
                shortId(downloader.identity().nodeId()), downloader.port()));
        say(text, "link: " + link.format());

        Path out = dir.resolve("downloaded");
        ProgressBar bar = new ProgressBar(System.err, "fetching", System.console() != null);
        DownloadState state = downloader.track(link.format(), out);
        DownloadResult r = downloader.get(link, out, Duration.ofSeconds(30), state, new DownloadListener() {
            @Override
            public void onProgress(long verifiedBytes, long totalBytes, int peers) {
                bar.update(verifiedBytes, totalBytes, peers);
            }
        });
        bar.finish();
        byte[] fetched = sha256(r.path());
        boolean same = MessageDigest.isEqual(original, fetched);
        double seconds = r.elapsedNanos() / 1e9;
        Map<String, Object> summary = new LinkedHashMap<>();
        summary.put("link", link.format());
        summary.put("bytes", bytes);
        summary.put("seconds", seconds);
        summary.put("sha256", HexFormat.of().formatHex(original));
        summary.put("identical", same);
        List<Map<String, Object>> bySeeder = new ArrayList<>();
        for (int i = 0; i < seederNodes.size(); i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("seeder", i + 1);
            m.put("nodeId", seederNodes.get(i).identity().nodeId().toHex());
            m.put("bytes", r.verifiedBytesByPeer().getOrDefault(seederNodes.get(i).identity().nodeId(), 0L));
            bySeeder.add(m);
        }
        summary.put("fromSeeders", bySeeder);
        if (text) {
            System.out.printf(Locale.ROOT, "fetched %s in %.2f s (%s/s), from %d seeders at once:%n", ProgressBar.bytes(bytes), seconds,
                    ProgressBar.bytes((long) (bytes / Math.max(seconds, 1e-3))), r.verifiedBytesByPeer().size());
            for (Map<String, Object> m : bySeeder) {
                System.out.printf(Locale.ROOT, "  seeder %s sent %s%n", m.get("seeder"), ProgressBar.bytes((Long) m.get("bytes")));
            }
            System.out.println(same ? "SHA-256 of the download matches the original: " + summary.get("sha256")
                    : "MISMATCH: the download differs from the original");
        } else {
            Printer.json(System.out, summary);
        }
        return same ? ExitCode.OK : ExitCode.TRANSFER;
    }

    private static LocalNode start(Path dir, String name, InetAddress host, List<LocalNode> nodes) throws IOException {
        LocalNode n = LocalNode.start(dir.resolve(name), host, 0, CliConfig.empty().limits());
        nodes.add(n);
        return n;
    }

    private static void say(boolean text, String line) {
        if (text) {
            System.out.println(line);
            System.out.flush();
        }
    }

    private static String shortId(NodeId id) {
        return id.toHex().substring(0, 12);
    }

    static long parseSize(String s) {
        String t = s.trim().toUpperCase(Locale.ROOT);
        long mult = 1;
        if (t.endsWith("K")) {
            mult = 1L << 10;
        } else if (t.endsWith("M")) {
            mult = 1L << 20;
        } else if (t.endsWith("G")) {
            mult = 1L << 30;
        }
        try {
            long n = Long.parseLong(mult == 1 ? t : t.substring(0, t.length() - 1)) * mult;
            if (n > 0 && n <= (16L << 30)) {
                return n;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new UserError(ExitCode.USAGE, "--size must be like 64M or 1G (at most 16G), not '" + s + "'");
    }

    /** Writes {@code bytes} seeded-random bytes to {@code file}; returns their SHA-256. */
    private static byte[] writeRandomFile(Path file, long bytes) throws IOException {
        Random r = new Random(bytes);
        byte[] buf = new byte[1 << 20];
        MessageDigest sha = newSha256();
        try (OutputStream out = Files.newOutputStream(file)) {
            for (long left = bytes; left > 0; ) {
                r.nextBytes(buf);
                int n = (int) Math.min(buf.length, left);
                out.write(buf, 0, n);
                sha.update(buf, 0, n);
                left -= n;
            }
        }
        return sha.digest();
    }

    private static byte[] sha256(Path file) throws IOException {
        MessageDigest sha = newSha256();
        try (InputStream in = new DigestInputStream(Files.newInputStream(file), sha)) {
            in.transferTo(OutputStream.nullOutputStream());
        }
        return sha.digest();
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    private static void deleteTree(Path dir) throws IOException {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        }
    }
}
