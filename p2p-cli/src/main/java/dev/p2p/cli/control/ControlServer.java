package dev.p2p.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.UserError;
import dev.p2p.cli.node.DownloadState;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.fetch.DownloadListener;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The node's control API: HTTP with JSON on a loopback port, every call carrying the data
 * directory's token as {@code Authorization: Bearer <token>}. Documented in docs/CONTROL-API.md.
 */
public final class ControlServer implements AutoCloseable {
    static final int MAX_BODY_BYTES = 64 * 1024;
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalNode node;
    private final byte[] token;
    private final HttpServer http;
    private final ExecutorService requestThreads = Executors.newFixedThreadPool(4);
    private final ExecutorService downloadThreads = Executors.newFixedThreadPool(4);

    public ControlServer(LocalNode node, String token, InetAddress bindHost) throws IOException {
        this.node = node;
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.http = HttpServer.create(new InetSocketAddress(bindHost, 0), 16);
        http.createContext("/v1/", this::handle);
        http.setExecutor(requestThreads);
        http.start();
    }

    public int port() {
        return http.getAddress().getPort();
    }

    private void handle(HttpExchange ex) throws IOException {
        try (ex) {
            if (!authorized(ex)) {
                reply(ex, 401, Map.of("error", "missing or wrong token: read it from the data directory's control.token"));
                return;
            }
            String method = ex.getRequestMethod();
            String path = ex.getRequestURI().getPath();
            try {
                if (method.equals("GET") && path.equals("/v1/id")) {
                    reply(ex, 200, Views.id(node));
                } else if (method.equals("GET") && path.equals("/v1/peers")) {
                    reply(ex, 200, Views.peers(node));
                } else if (method.equals("GET") && path.equals("/v1/ls")) {
                    reply(ex, 200, Views.ls(node));
                } else if (method.equals("POST") && path.equals("/v1/share")) {
                    Path p = Path.of(requiredText(body(ex), "path"));
                    SharedContent c = node.share(p, IndexProgress.NONE);
                    reply(ex, 200, Views.share(node, p.toAbsolutePath().normalize(), c));
                } else if (method.equals("POST") && path.equals("/v1/get")) {
                    reply(ex, 202, Views.download(startDownload(body(ex))));
                } else if (method.equals("GET") && path.startsWith("/v1/downloads/")) {
                    DownloadState d = node.download(path.substring("/v1/downloads/".length()));
                    if (d == null) {
                        reply(ex, 404, Map.of("error", "no such download"));
                    } else {
                        reply(ex, 200, Views.download(d));
                    }
                } else {
                    reply(ex, 404, Map.of("error", "no such call: " + method + " " + path));
                }
            } catch (UserError e) {
                reply(ex, 400, Map.of("error", e.getMessage(), "exitCode", e.exitCode()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(ex, 503, Map.of("error", "node is stopping"));
            } catch (IOException | RuntimeException e) {
                reply(ex, 500, Map.of("error", String.valueOf(e.getMessage()), "exitCode", ExitCode.INTERNAL));
            }
        }
    }

    private DownloadState startDownload(JsonNode body) {
        String linkText = requiredText(body, "link");
        ShareLink link;
        try {
            link = ShareLink.parse(linkText);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, "malformed link: " + e.getMessage());
        }
        Path out = Path.of(requiredText(body, "out")).toAbsolutePath().normalize();
        long timeout = body.path("timeoutSeconds").asLong(60);
        DownloadState state = node.track(linkText, out);
        downloadThreads.execute(() -> {
            try {
                node.get(link, out, Duration.ofSeconds(Math.max(1, Math.min(timeout, 86_400))), state, DownloadListener.NONE);
            } catch (UserError e) {
                // recorded in the state by LocalNode.get
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        return state;
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, h.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static JsonNode body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            byte[] bytes = in.readNBytes(MAX_BODY_BYTES + 1);
            if (bytes.length > MAX_BODY_BYTES) {
                throw new UserError(ExitCode.USAGE, "request body over " + MAX_BODY_BYTES + " bytes");
            }
            try {
                return JSON.readTree(bytes);
            } catch (IOException e) {
                throw new UserError(ExitCode.USAGE, "request body is not JSON");
            }
        }
    }

    private static String requiredText(JsonNode body, String field) {
        JsonNode n = body == null ? null : body.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new UserError(ExitCode.USAGE, "request needs a text field '" + field + "'");
        }
        return n.asText();
    }

    private static void reply(HttpExchange ex, int status, Object body) throws IOException {
        byte[] bytes = JSON.writeValueAsBytes(body);
        ex.getResponseHeaders().set("Content-Type", "application/json");
        ex.sendResponseHeaders(status, bytes.length);
        try (OutputStream out = ex.getResponseBody()) {
            out.write(bytes);
        }
    }

    @Override
    public void close() {
        http.stop(0);
        requestThreads.shutdownNow();
        downloadThreads.shutdownNow();
    }
}
