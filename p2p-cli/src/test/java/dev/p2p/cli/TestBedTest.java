package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Peers on separate hosts: six public hosts on one switch (h1 the bootstrap node, h2 and h3
 * seeders) and two hosts each behind its own NAT router (n1, n2), all real `p2p` processes in
 * their own network namespaces. One bed for the whole class, to keep CI time down; the tests run
 * in order and each leaves the bed as it found it (links up, switch whole).
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class TestBedTest {
    static final String BOOT = "h1";

    @TempDir
    static Path home;
    TestBed bed;
    Path file;
    String link;

    @BeforeAll
    void startNetwork() throws Exception {
        bed = TestBed.create(home, 6, 2);
        file = TestFiles.randomFile(home.resolve("film.bin"), 16L << 20, 7);
        Path slow = Files.writeString(home.resolve("slow.properties"), "upload-rate = 2000000\n");
        bed.node(BOOT, null);
        List<Thread> starting = new ArrayList<>();
        List<Throwable> failures = new ArrayList<>();
        for (String h : List.of("h2", "h3", "h4", "h5", "h6")) {
            String[] extra = h.equals("h2") || h.equals("h3") ? new String[] {"--config", slow.toString()} : new String[0];
            Thread t = new Thread(() -> {
                try {
                    bed.node(h, BOOT, extra);
                } catch (Throwable e) {
                    synchronized (failures) {
                        failures.add(e);
                    }
                }
            });
            t.start();
            starting.add(t);
        }
        for (Thread t : starting) {
            t.join();
        }
        if (!failures.isEmpty()) {
            throw new AssertionError("nodes did not start", failures.get(0));
        }
        String l2 = bed.share("h2", file);
        String l3 = bed.share("h3", file);
        assertEquals(TestFiles.withoutHints(l2), TestFiles.withoutHints(l3), "same content, same id");
        link = TestFiles.withoutHints(l2);
    }

    @AfterAll
    void removeBed() {
        if (bed != null) {
            bed.close();
        }
    }

    @Test
    @Order(1)
    void threeHostsFetchFromTwoSeedersAndSurviveOneSeedersLinkGoingDown() throws Exception {
        List<P2pProcess> gets = new ArrayList<>();
        for (String h : List.of("h4", "h5", "h6")) {
            gets.add(bed.start(h, "--data-dir", bed.dataDir(h).toString(), "get", link, "-o", home.resolve("out-" + h).toString(),
                    "--timeout", "60s"));
        }
        // 3 x 16 MiB from two seeders at 2 MB/s each takes about 12 s: cut one seeder's cable early on
        Thread.sleep(5_000);
        for (P2pProcess g : gets) {
            assertTrue(g.process.isAlive(), "still downloading when the link goes down: " + g.out + g.err);
        }
        bed.link("h2", false);
        try {
            for (int i = 0; i < gets.size(); i++) {
                P2pProcess g = gets.get(i);
                assertTrue(g.process.waitFor(180, TimeUnit.SECONDS), "download on h" + (4 + i) + " finished");
                P2pProcess.finish(g, 5);
                assertEquals(0, g.exitCode(), "h" + (4 + i) + ": " + g.out + g.err);
                assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(home.resolve("out-h" + (4 + i)).resolve("film.bin")),
                        "byte-identical on h" + (4 + i));
            }
        } finally {
            bed.link("h2", true);
        }
    }
}
