package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.net.DatagramSocket;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** `p2p` processes on ::1: nodes listen on IPv4 and IPv6 at once, and fall back to IPv4 where IPv6 is missing. */
class Ipv6Test extends NodeProcessesTest {
    static boolean ipv6Loopback() {
        try (DatagramSocket s = new DatagramSocket(new InetSocketAddress(InetAddress.getByName("::1"), 0))) {
            return true;
        } catch (Exception e) {
            return false;
        }
    }

    @Test
    void nodesOnIpv6LoopbackFindAndFetchByContentIdAndAnIpv4PeerFetchesFromTheSameNetwork() throws Exception {
        assumeTrue(ipv6Loopback(), "this machine has no IPv6 loopback (::1)");
        Path file = TestFiles.randomFile(home.resolve("map.bin"), 3L << 20, 5);
        P2pProcess boot = node("boot", "--port", "0");
        assertTrue(boot.out.stream().anyMatch(l -> l.matches("listening on port \\d+ \\(UDP and TCP, IPv4 and IPv6\\)")),
                boot.out.toString());
        String seed6 = "[::1]:" + port(boot);
        node("seeder", "--port", "0", "--bootstrap", seed6);
        String link = share("seeder", file);
        java.util.regex.Matcher hint = java.util.regex.Pattern.compile("@\\[([0-9a-f:]+)\\]:").matcher(link);
        assertTrue(hint.find() && InetAddress.getByName(hint.group(1)).isLoopbackAddress(),
                "the link names the seeder's IPv6 address, as peers see it: " + link);

        fetchByContentId("d6", link, file, seed6); // found through the DHT over IPv6 alone
        fetchByContentId("d4", link, file, "127.0.0.1:" + port(boot)); // the same boot node answers on IPv4
    }

    @Test
    void aJvmWithoutIpv6SaysSoInOneLineAndServesOnIpv4() throws Exception {
        Path file = TestFiles.randomFile(home.resolve("notes.bin"), 1L << 20, 6);
        String boot = bootstrapNode();
        List<String> cmd = new ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx256m", P2pProcess.NO_PORT_MAPPING, "-Djava.net.preferIPv4Stack=true", "-jar", P2pProcess.JAR.toString(),
                "--data-dir", home.resolve("v4only").toString(), "node", "--port", "0", "--bootstrap", boot));
        P2pProcess v4only = P2pProcess.startCommand(home, null, cmd);
        processes.add(v4only);
        v4only.awaitLine(l -> l.startsWith("ready"), 60);
        String listening = v4only.awaitLine(l -> l.startsWith("listening on port"), 5);
        assertTrue(listening.contains("(UDP and TCP, IPv4 only: this host has no IPv6 ("), listening);
        String link = share("v4only", file);

        fetchByContentId("d", link, file, boot);
    }
}
