package dev.p2p.cli.control;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.UserError;
import dev.p2p.cli.node.DownloadQueue;
import dev.p2p.cli.node.DownloadState;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.transfer.content.IndexProgress;
import dev.p2p.transfer.session.TransferLimits;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The node's control API: HTTP with JSON on a loopback port, every call carrying the data
 * directory's token as {@code Authorization: Bearer <token>}. Documented in docs/CONTROL-API.md.
 */
public final class ControlServer implements AutoCloseable {
    private static final ObjectMapper JSON = new ObjectMapper();

    private final LocalNode node;
    private final byte[] token;
    private final HttpServer http;
    private final DownloadQueue downloads;
    /** Enough that calls waiting on downloads ({@code ?wait=}) leave others room. */
    private final ExecutorService requestThreads = Executors.newFixedThreadPool(16);

    /** @param downloads the downloads asked for through this API, run by the node */
    public ControlServer(LocalNode node, DownloadQueue downloads, String token, InetAddress bindHost) throws IOException {
        this.node = node;
        this.downloads = downloads;
        this.token = token.getBytes(StandardCharsets.US_ASCII);
        this.http = HttpServer.create(new InetSocketAddress(bindHost, 0), 16);
        http.createContext("/v1/", this::handle);
        http.createContext("/metrics", this::handle);
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
            try {
                ControlRequest request = ControlRequest.parse(ex.getRequestMethod(), target(ex), body(ex));
                if (request instanceof ControlRequest.Id) {
                    reply(ex, 200, Views.id(node));
                } else if (request instanceof ControlRequest.Peers) {
                    reply(ex, 200, Views.peers(node));
                } else if (request instanceof ControlRequest.Stats) {
                    reply(ex, 200, node.metrics().json());
                } else if (request instanceof ControlRequest.Metrics) {
                    MetricsServer.reply(ex, node.metrics());
                } else if (request instanceof ControlRequest.Unshare unshare) {
                    reply(ex, 200, Views.unshared(node.unshare(unshare.target())));
                } else if (request instanceof ControlRequest.Limits) {
                    reply(ex, 200, Views.limits(node.limits()));
                } else if (request instanceof ControlRequest.SetLimits set) {
                    TransferLimits.Settings now = node.limits();
                    node.setLimits(new TransferLimits.Settings(set.maxPeers() != null ? set.maxPeers() : now.maxPeers(),
                            set.uploadRate() != null ? set.uploadRate() : now.uploadBytesPerSecond(),
                            set.downloadRate() != null ? set.downloadRate() : now.downloadBytesPerSecond()));
                    reply(ex, 200, Views.limits(node.limits()));
                } else if (request instanceof ControlRequest.Ls) {
                    reply(ex, 200, Views.ls(node));
                } else if (request instanceof ControlRequest.Share share) {
                    reply(ex, 200, Views.share(node, share.path(), node.share(share.path(), IndexProgress.NONE)));
                } else if (request instanceof ControlRequest.Get get) {
                    reply(ex, 202, Views.download(downloads.start(get.linkText(), get.link(), get.out(), get.timeoutSeconds(),
                            get.share(), get.selection())));
                } else if (request instanceof ControlRequest.Downloads) {
                    reply(ex, 200, Views.downloads(node));
                } else if (request instanceof ControlRequest.DownloadAction a) {
                    reply(ex, 200, Views.download(switch (a.verb()) {
                        case PAUSE -> downloads.pause(a.id());
                        case RESUME -> downloads.resume(a.id());
                        case CANCEL -> downloads.cancel(a.id(), a.delete());
                    }));
                } else {
                    ControlRequest.Download asked = (ControlRequest.Download) request;
                    DownloadState d = node.download(asked.id());
                    if (d == null) {
                        throw new UserError(ExitCode.USAGE, "no such download: " + asked.id() + " (p2p downloads lists them)");
                    }
                    d.awaitChange(asked.waitMillis());
                    reply(ex, 200, Views.download(d));
                }
            } catch (UserError e) {
                reply(ex, e.getMessage().startsWith("no such") ? 404 : 400, Map.of("error", e.getMessage(), "exitCode", e.exitCode()));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                reply(ex, 503, Map.of("error", "node is stopping"));
            } catch (IOException | RuntimeException e) {
                reply(ex, 500, Map.of("error", String.valueOf(e.getMessage()), "exitCode", ExitCode.INTERNAL));
            }
        }
    }

    private boolean authorized(HttpExchange ex) {
        String h = ex.getRequestHeaders().getFirst("Authorization");
        if (h == null || !h.startsWith("Bearer ")) {
            return false;
        }
        return MessageDigest.isEqual(token, h.substring("Bearer ".length()).trim().getBytes(StandardCharsets.US_ASCII));
    }

    private static String target(HttpExchange ex) {
        String query = ex.getRequestURI().getRawQuery();
        return ex.getRequestURI().getPath() + (query == null ? "" : "?" + query);
    }

    private static byte[] body(HttpExchange ex) throws IOException {
        try (InputStream in = ex.getRequestBody()) {
            return in.readNBytes(ControlRequest.MAX_BODY_BYTES + 1);
        }
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
    }
}
