package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
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
 * Home routers that map ports and IPv6 between hosts, in the network test bed: h1 (the bootstrap
 * node), h2 and h3 on the switch; n1 behind router r1, which runs miniupnpd (UPnP IGD, NAT-PMP,
 * PCP); n2 behind r2, which maps nothing. Real `p2p` processes with port mapping on, as a user runs them.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PortMappingTestBedTest {
    static final String BOOT = "h1";

    @TempDir
    static Path home;
    TestBed bed;

    @BeforeAll
    void startNetwork() throws Exception {
        bed = TestBed.create(home, "tm", 3, 2, 0);
        bed.node(BOOT, null);
    }

    @AfterAll
    void removeBed() {
        if (bed != null) {
            bed.close();
        }
    }

    static boolean miniupnpdInstalled() {
        return !TestBed.capture(List.of("sh", "-c", "command -v miniupnpd")).isBlank();
    }

    @Test
    @Order(1)
    void aNodeBehindAUpnpRouterMapsItsPortIsPublicIsFetchedFromDirectlyAndTheMappingGoesWhenItStops() throws Exception {
        assumeTrue(miniupnpdInstalled(), "miniupnpd is not installed (apt-get install miniupnpd)");
        bed.upnp(1);
        String wan = "11.77.1.1"; // netns.sh gives a miniupnpd router this address: it refuses a private one
        P2pProcess n1 = bed.node("n1", BOOT);
        String line = n1.awaitLine(l -> l.startsWith("port mapping:"), 60);
        assertEquals("port mapping: the router forwards " + wan + ":24100 to port 24100 (UDP and TCP, NAT-PMP)", line);
        assertEquals(List.of("tcp 24100 -> 10.78.1.2:24100", "udp 24100 -> 10.78.1.2:24100"), bed.mappings(1));
        JsonNode id = bed.json("n1", "id");
        assertEquals("public", id.path("reachability").asText(), id.toString());

        Path file = TestFiles.randomFile(home.resolve("home-video.bin"), 4L << 20, 21);
        JsonNode shared = bed.json("n1", "share", file.toString());
        assertTrue(shared.path("announced").asBoolean(), "a mapped node announces: " + shared);
        assertTrue(shared.path("link").asText().endsWith("@" + wan + ":24100"), "its link names the mapped address: " + shared);

        // h2 knows only the content id and the bootstrap node: the DHT sends it to n1's router, which forwards
        String byId = TestFiles.withoutHints(shared.path("link").asText());
        P2pProcess get = bed.command("h2", 120, "get", byId, "-o", home.resolve("out-h2").toString(), "--bootstrap",
                TestBed.addr(BOOT) + ":" + TestBed.PORT, "--timeout", "30s");
        assertEquals(0, get.exitCode(), get.out + "" + get.err);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(home.resolve("out-h2").resolve("home-video.bin")));
        assertTrue(bed.json("n1", "stats").path("transfers").path("uploadedBytes").asLong() >= file.toFile().length(),
                "n1 served it");

        n1.stop();
        assertEquals(143, n1.exitCode(), "SIGTERM stops the node cleanly");
        assertEquals(List.of(), bed.mappings(1), "the node removed its mapping when it stopped");
    }

    @Test
    @Order(2)
    void aRouterThatMapsNothingGetsOneLineAndTheNodeCarriesOnBehindNat() throws Exception {
        long start = System.nanoTime();
        P2pProcess n2 = bed.node("n2", BOOT);
        n2.awaitLine(l -> l.startsWith("port mapping:"), 90);
        long seconds = (System.nanoTime() - start) / 1_000_000_000L;
        System.out.println("no mapping: the line came " + seconds + " s after the command started");
        // NAT-PMP and PCP give up after 3.75 s each while the SSDP search (5 s) runs beside them; the rest is JVM start.
        assertTrue(seconds < 15, "the line comes soon: " + seconds + " s");
        List<String> said = n2.out.stream().filter(l -> l.startsWith("port mapping:")).toList();
        assertEquals(1, said.size(), n2.out.toString());
        assertEquals("port mapping: no mapping was possible: the router 10.78.2.1 did not grant one by NAT-PMP or PCP, and no "
                + "UPnP IGD router did; reachability is decided as without it", said.get(0));
        assertEquals("private", bed.json("n2", "id").path("reachability").asText());
        assertTrue(n2.process.isAlive(), "the node runs on");
    }

    @Test
    @Order(3)
    void publicHostsJoinLookUpAndFetchOverIpv6() throws Exception {
        String boot6 = "[" + TestBed.addr6(BOOT) + "]:" + TestBed.PORT;
        P2pProcess h3 = bed.start("h3", "--data-dir", bed.dataDir("h3").toString(), "node", "--port", Integer.toString(TestBed.PORT),
                "--bootstrap", boot6);
        h3.awaitLine(l -> l.startsWith("ready"), 90);
        assertTrue(h3.out.contains("listening on port 24100 (UDP and TCP, IPv4 and IPv6)"), h3.out.toString());
        JsonNode contacts = bed.json("h3", "peers").path("contacts");
        assertTrue(contacts.toString().contains("\"address\":\"fd77:0:0:0:0:0:0:1:" + TestBed.PORT + "\""),
                "h3 keeps h1 as an IPv6 contact: " + contacts);
        Path file = TestFiles.randomFile(home.resolve("v6.bin"), 2L << 20, 23);
        JsonNode shared = bed.json("h3", "share", file.toString());
        assertTrue(shared.path("announced").asBoolean(), shared.toString());
        assertTrue(shared.path("link").asText().contains("@[fd77:0:0:0:0:0:0:3]:24100"), "the link names h3's IPv6 address: " + shared);

        // a fresh peer on h2 that knows h1 only by its IPv6 address finds h3 through the DHT and fetches over IPv6
        P2pProcess get = P2pProcess.finish(bed.start("h2", "--data-dir", home.resolve("h2-v6").toString(), "get",
                TestFiles.withoutHints(shared.path("link").asText()), "-o", home.resolve("out-h2-v6").toString(), "--bootstrap", boot6,
                "--timeout", "30s"), 120);
        assertEquals(0, get.exitCode(), get.out + "" + get.err);
        assertArrayEquals(Files.readAllBytes(file), Files.readAllBytes(home.resolve("out-h2-v6").resolve("v6.bin")));
        h3.process.destroy();
        h3.process.waitFor(20, TimeUnit.SECONDS);
    }

    @Test
    @Order(4)
    void aLinkFromANodeWithNoPeersNamesItsIpv6LanAddressAndThatAloneIsEnough() throws Exception {
        Path photo = TestFiles.randomFile(home.resolve("v6-lan.bin"), 1_000_000, 29);
        P2pProcess sharer = bed.start("h2", "--data-dir", home.resolve("lan6-h2").toString(), "share", photo.toString());
        String lanLink = sharer.awaitLine(l -> l.startsWith("p2p://"), 60);
        String v6 = "@[fd77:0:0:0:0:0:0:2]:";
        assertTrue(lanLink.contains(v6), "the link names the sharer's IPv6 LAN address too: " + lanLink);
        // Only that hint: the get must reach the sharer over IPv6.
        String onlyV6 = TestFiles.withoutHints(lanLink) + "?" + java.util.Arrays.stream(lanLink.substring(lanLink.indexOf('?') + 1)
                .split("&")).filter(p -> p.contains(v6)).findFirst().orElseThrow();
        P2pProcess get = P2pProcess.finish(bed.start("h3", "--data-dir", home.resolve("lan6-h3").toString(), "get", onlyV6, "-o",
                home.resolve("lan6-out").toString(), "--timeout", "20s"), 90);
        assertEquals(0, get.exitCode(), get.out + "" + get.err);
        assertArrayEquals(Files.readAllBytes(photo), Files.readAllBytes(home.resolve("lan6-out").resolve("v6-lan.bin")));
        sharer.close();
    }
}
