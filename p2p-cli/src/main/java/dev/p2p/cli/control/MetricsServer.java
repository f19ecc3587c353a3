package dev.p2p.cli.control;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.p2p.cli.node.NodeMetrics;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

/**
 * The node's metrics for a scraper ({@code p2p node --metrics-listen HOST:PORT}): {@code GET
 * /metrics} in the Prometheus text format, on the address given, without a token. It answers
 * nothing else: the control API stays on loopback behind its token.
 */
public final class MetricsServer implements AutoCloseable {
    private final HttpServer http;
    private final ExecutorService threads = Executors.newSingleThreadExecutor(r -> {
        Thread t = new Thread(r, "p2p-metrics");
        t.setDaemon(true);
        return t;
    });

    /** Listens on {@code bind}; a {@link java.net.BindException} when the address is taken. */
    public MetricsServer(NodeMetrics metrics, InetSocketAddress bind) throws IOException {
        this.http = HttpServer.create(bind, 16);
        http.createContext("/", ex -> {
            try (ex) {
                if (!ex.getRequestURI().getPath().equals("/metrics")) {
                    empty(ex, 404);
                } else if (!ex.getRequestMethod().equals("GET") && !ex.getRequestMethod().equals("HEAD")) {
                    ex.getResponseHeaders().set("Allow", "GET, HEAD");
                    empty(ex, 405);
                } else {
                    reply(ex, metrics);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        http.setExecutor(threads);
        http.start();
    }

    /** The address it listens on. */
    public InetSocketAddress address() {
        return http.getAddress();
    }

    /** Answers {@code ex} with the metrics in the Prometheus text format (for the control API's /metrics too). */
    static void reply(HttpExchange ex, NodeMetrics metrics) throws IOException, InterruptedException {
        byte[] text = metrics.prometheusText();
        ex.getResponseHeaders().set("Content-Type", NodeMetrics.CONTENT_TYPE);
        boolean head = ex.getRequestMethod().equals("HEAD");
        ex.sendResponseHeaders(200, head ? -1 : text.length);
        if (!head) {
            try (OutputStream out = ex.getResponseBody()) {
                out.write(text);
            }
        }
    }

    private static void empty(HttpExchange ex, int status) throws IOException {
        ex.sendResponseHeaders(status, -1);
    }

    @Override
    public void close() {
        http.stop(0);
        threads.shutdownNow();
    }
}
