package dev.p2p.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.UserError;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.file.Path;
import java.util.Map;

/**
 * Calls a running node's control API on loopback, with the data directory's token. Plain
 * {@link HttpURLConnection}: java.net.http's client costs a short command like {@code p2p stats}
 * about a third of a second to start (its selector thread and a TLS context it never uses here).
 */
public final class ControlClient {
    private static final int CONNECT_TIMEOUT_MILLIS = 5_000;
    private static final int READ_TIMEOUT_MILLIS = 30 * 60 * 1000;
    private final String base;
    private final String token;

    private ControlClient(int port, String token) {
        this.base = "http://127.0.0.1:" + port;
        this.token = token;
    }

    /** A client for the node running on {@code dataDir}, or null when none runs there. */
    public static ControlClient forRunningNode(Path dataDir) throws IOException {
        int port = ControlFiles.controlPort(dataDir);
        if (port < 0) {
            return null;
        }
        return new ControlClient(port, ControlFiles.tokenFor(dataDir));
    }

    public JsonNode get(String path) {
        return send("GET", path, null);
    }

    public JsonNode post(String path, Map<String, Object> body) {
        try {
            return send("POST", path, StreamingJson.write(body));
        } catch (IOException e) {
            throw new IllegalStateException(e); // a map of plain values always has a JSON form
        }
    }

    private JsonNode send(String method, String path, byte[] body) {
        int status;
        byte[] answer;
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(base + path).openConnection();
            c.setRequestMethod(method);
            c.setConnectTimeout(CONNECT_TIMEOUT_MILLIS);
            c.setReadTimeout(READ_TIMEOUT_MILLIS);
            c.setRequestProperty("Authorization", "Bearer " + token);
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                c.setFixedLengthStreamingMode(body.length);
                try (OutputStream out = c.getOutputStream()) {
                    out.write(body);
                }
            }
            status = c.getResponseCode();
            try (InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream()) {
                answer = in == null ? new byte[0] : in.readAllBytes();
            }
        } catch (IOException e) {
            throw new UserError(ExitCode.CONTROL, "the running node does not answer on " + base + ": " + e.getMessage());
        }
        JsonNode json;
        try {
            json = StreamingJson.read(answer);
        } catch (IOException e) {
            throw new UserError(ExitCode.CONTROL, "the running node sent an unreadable answer");
        }
        if (json == null) {
            throw new UserError(ExitCode.CONTROL, "the running node sent an empty answer");
        }
        if (status == 401) {
            throw new UserError(ExitCode.CONTROL, "the running node refused the token in control.token: " + json.path("error").asText());
        }
        if (status >= 400) {
            throw new UserError(json.path("exitCode").asInt(ExitCode.INTERNAL), json.path("error").asText("node error " + status));
        }
        return json;
    }
}
