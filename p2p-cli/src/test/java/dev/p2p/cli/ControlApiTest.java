package dev.p2p.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2p.cli.control.ControlFiles;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The control API of a running node process: loopback only, token required. */
class ControlApiTest {
    @TempDir
    Path home;

    @Test
    void refusesCallsWithoutOrWithAWrongTokenAndAnswersWithTheRightOne() throws Exception {
        Path data = home.resolve("n");
        try (P2pProcess node = P2pProcess.start(home, "--data-dir", data.toString(), "node", "--port", "0")) {
            node.awaitLine(l -> l.startsWith("ready"), 60);
            JsonNode info = new ObjectMapper().readTree(Files.readString(data.resolve(ControlFiles.NODE_FILE)));
            URI id = URI.create("http://127.0.0.1:" + info.path("controlPort").asInt() + "/v1/id");
            String token = Files.readString(data.resolve(ControlFiles.TOKEN_FILE)).trim();
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve(ControlFiles.TOKEN_FILE))));
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(data.resolve("identity.key"))));

            HttpClient http = HttpClient.newHttpClient();
            HttpResponse<String> none = http.send(HttpRequest.newBuilder(id).build(), HttpResponse.BodyHandlers.ofString());
            assertEquals(401, none.statusCode());
            HttpResponse<String> wrong = http.send(HttpRequest.newBuilder(id).header("Authorization", "Bearer " + "0".repeat(64)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(401, wrong.statusCode());
            HttpResponse<String> right = http.send(HttpRequest.newBuilder(id).header("Authorization", "Bearer " + token).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertEquals(200, right.statusCode());
            assertEquals(info.path("nodeId").asText(), new ObjectMapper().readTree(right.body()).path("nodeId").asText());

            // the CLI itself, given the same data directory, talks to the node
            P2pProcess cli = P2pProcess.run(home, 60, "--data-dir", data.toString(), "--json", "id");
            assertEquals(0, cli.exitCode(), cli.err.toString());
            JsonNode view = new ObjectMapper().readTree(String.join("\n", cli.out));
            assertEquals(info.path("port").asInt(), view.path("port").asInt());

            // a wrong token in the data directory: the CLI says so with its exit code
            Files.writeString(data.resolve(ControlFiles.TOKEN_FILE), "1".repeat(64) + "\n");
            P2pProcess refused = P2pProcess.run(home, 60, "--data-dir", data.toString(), "ls");
            assertEquals(ExitCode.CONTROL, refused.exitCode());
            assertTrue(refused.err.get(0).contains("refused the token"), refused.err.toString());
        }
    }
}
