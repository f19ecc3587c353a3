package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.OutputStream;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

/**
 * `p2p node --metrics-listen`: /metrics for a scraper, without the token, read-only. The text is
 * checked by Prometheus' own parser and linter, {@code promtool check metrics} (Debian package
 * prometheus; .ci/run installs it).
 */
class MetricsListenTest extends NodeProcessesTest {
    static boolean promtoolFound() {
        try {
            return new ProcessBuilder("promtool", "--version").redirectErrorStream(true).start().waitFor() == 0;
        } catch (Exception e) {
            return false;
        }
    }

    /** promtool's exit code for {@code text} on stdin, with what it printed. */
    static String promtool(String text) throws Exception {
        Process p = new ProcessBuilder("promtool", "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(text.getBytes(StandardCharsets.UTF_8));
        }
        String said = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(30, TimeUnit.SECONDS));
        return p.exitValue() + " " + said;
    }

    @Test
    void aScraperReadsMetricsWithoutTheTokenAndNothingElse() throws Exception {
        Assumptions.assumeTrue(promtoolFound(), "promtool (Debian package prometheus) is not installed");
        int port = TestFiles.freePort();
        P2pProcess node = node("n", "--port", "0", "--metrics-listen", "127.0.0.1:" + port);
        assertTrue(node.out.contains("metrics on http://127.0.0.1:" + port + "/metrics (read-only, no token)"), node.out.toString());
        HttpClient http = HttpClient.newHttpClient();
        URI metrics = URI.create("http://127.0.0.1:" + port + "/metrics");
        HttpResponse<String> scrape = http.send(HttpRequest.newBuilder(metrics).build(), HttpResponse.BodyHandlers.ofString());
        assertEquals(200, scrape.statusCode());
        assertTrue(scrape.headers().firstValue("Content-Type").orElse("").startsWith("text/plain; version=0.0.4"));
        assertEquals("0 ", promtool(scrape.body()), "Prometheus parses and lints it cleanly");
        assertTrue(scrape.body().contains("\np2p_routing_table_contacts 0"), scrape.body());
        assertTrue(scrape.body().contains("\np2p_upload_bytes_total 0"), scrape.body());
        assertTrue(promtool("p2p_upload_bytes_total{ 0\n").startsWith("1 "), "the parser does refuse bad text");

        HttpResponse<String> post = http.send(HttpRequest.newBuilder(metrics).POST(HttpRequest.BodyPublishers.ofString("x")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(405, post.statusCode(), "read-only");
        for (String path : new String[] {"/v1/id", "/v1/ls", "/"}) {
            assertEquals(404, http.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + port + path)).build(),
                    HttpResponse.BodyHandlers.ofString()).statusCode(), path + " is the control API's, not the scraper's");
        }
        Path data = home.resolve("n");
        URI control = ControlApiTest.controlUri(node, data, "/metrics");
        assertEquals(401, http.send(HttpRequest.newBuilder(control).build(), HttpResponse.BodyHandlers.ofString()).statusCode(),
                "the control API still asks for the token");
    }

    @Test
    void aBadOrTakenMetricsAddressIsOneLine() throws Exception {
        UserMistakesTest.assertOneLine(P2pProcess.run(home, 60, "--data-dir", home.resolve("a").toString(), "node", "--port", "0",
                "--metrics-listen", "nowhere"), ExitCode.USAGE, "'nowhere' is not host:port");
        try (ServerSocket taken = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            UserMistakesTest.assertOneLine(P2pProcess.run(home, 60, "--data-dir", home.resolve("b").toString(), "node", "--port", "0",
                    "--metrics-listen", "127.0.0.1:" + taken.getLocalPort()), ExitCode.NETWORK,
                    "cannot serve metrics on 127.0.0.1:" + taken.getLocalPort());
        }
    }
}
