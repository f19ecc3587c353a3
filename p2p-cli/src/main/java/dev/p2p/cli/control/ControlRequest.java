package dev.p2p.cli.control;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamReadConstraints;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2p.cli.CliConfig;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.RateArg;
import dev.p2p.cli.UserError;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import java.io.IOException;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * A control API call, parsed and checked before the node acts on it: any method, path and body
 * either makes one of these or a {@link UserError}, nothing else (a fuzz test holds this).
 */
public sealed interface ControlRequest {
    int MAX_BODY_BYTES = 64 * 1024;
    long MAX_TIMEOUT_SECONDS = 86_400;

    record Id() implements ControlRequest {}

    record Peers() implements ControlRequest {}

    record Ls() implements ControlRequest {}

    /** The node's numbers as JSON (`p2p stats`). */
    record Stats() implements ControlRequest {}

    /** The same numbers in the Prometheus text format, at {@code /metrics} for scrapers. */
    record Metrics() implements ControlRequest {}

    record Share(Path path) implements ControlRequest {}

    /** @param share keep sharing (and announce) the content once downloaded */
    record Get(String linkText, ShareLink link, Path out, long timeoutSeconds, boolean share, Selection selection)
            implements ControlRequest {}

    /** @param waitMillis answer once the download is over, or after this long (0: at once) */
    record Download(String id, long waitMillis) implements ControlRequest {}

    /** Longest a {@code GET /v1/downloads/<id>?wait=} holds the answer back. */
    long MAX_WAIT_MILLIS = 10_000;

    /** Every download the node follows (`p2p downloads`). */
    record Downloads() implements ControlRequest {}

    /** What the user does to a download: pause, resume or cancel ({@code delete}: its partial data too). */
    record DownloadAction(String id, Verb verb, boolean delete) implements ControlRequest {
        public enum Verb { PAUSE, RESUME, CANCEL }
    }

    /** @param target a link or an absolute path (`p2p unshare`) */
    record Unshare(String target) implements ControlRequest {}

    /** The node's limits (`p2p limits`). */
    record Limits() implements ControlRequest {}

    /** New limits; a null field keeps its limit. Rates in bytes per second, 0 for none. */
    record SetLimits(Integer maxPeers, Long uploadRate, Long downloadRate) implements ControlRequest {}

    /** JSON with tight nesting and size limits: the body is hostile until parsed. */
    ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .streamReadConstraints(StreamReadConstraints.builder().maxNestingDepth(16).maxStringLength(MAX_BODY_BYTES).build())
            .build());

    /** @param target the request's path, with its query when it has one */
    static ControlRequest parse(String method, String target, byte[] body) {
        int q = target.indexOf('?');
        String path = q < 0 ? target : target.substring(0, q);
        String query = q < 0 ? "" : target.substring(q + 1);
        if (body.length > MAX_BODY_BYTES) {
            throw new UserError(ExitCode.USAGE, "request body over " + MAX_BODY_BYTES + " bytes");
        }
        if (method.equals("GET")) {
            switch (path) {
                case "/v1/id":
                    return new Id();
                case "/v1/peers":
                    return new Peers();
                case "/v1/ls":
                    return new Ls();
                case "/v1/stats":
                    return new Stats();
                case "/metrics":
                    return new Metrics();
                case "/v1/limits":
                    return new Limits();
                case "/v1/downloads":
                    return new Downloads();
                default:
                    if (path.startsWith("/v1/downloads/") && path.length() <= 40) {
                        String id = path.substring("/v1/downloads/".length());
                        if (id.matches("[0-9]{1,9}")) {
                            return new Download(id, waitMillis(query));
                        }
                    }
            }
        } else if (method.equals("POST") && path.equals("/v1/share")) {
            return new Share(localPath(text(json(body), "path")));
        } else if (method.equals("POST") && path.startsWith("/v1/downloads/") && path.length() <= 48) {
            return downloadAction(path.substring("/v1/downloads/".length()), body);
        } else if (method.equals("POST") && path.equals("/v1/unshare")) {
            String what = text(json(body), "target");
            return new Unshare(what.startsWith(ShareLink.SCHEME) ? what : localPath(what).toString());
        } else if (method.equals("POST") && path.equals("/v1/limits")) {
            JsonNode b = json(body);
            JsonNode peers = b.path("maxPeers");
            if (!peers.isMissingNode() && (!peers.canConvertToInt() || !peers.isIntegralNumber() || peers.asInt() < 1
                    || peers.asInt() > CliConfig.MAX_PEERS_LIMIT)) {
                throw new UserError(ExitCode.USAGE, "maxPeers must be a whole number from 1 to " + CliConfig.MAX_PEERS_LIMIT);
            }
            return new SetLimits(peers.isMissingNode() ? null : peers.asInt(), rate(b, "uploadRate"), rate(b, "downloadRate"));
        } else if (method.equals("POST") && path.equals("/v1/get")) {
            JsonNode b = json(body);
            String linkText = text(b, "link");
            ShareLink link;
            try {
                link = ShareLink.parse(linkText);
            } catch (IllegalArgumentException e) {
                throw new UserError(ExitCode.USAGE, "malformed link: " + e.getMessage());
            }
            long timeout = b.path("timeoutSeconds").asLong(60);
            JsonNode share = b.path("share");
            if (!share.isMissingNode() && !share.isBoolean()) {
                throw new UserError(ExitCode.USAGE, "share must be true or false");
            }
            return new Get(linkText, link, localPath(text(b, "out")), Math.max(1, Math.min(timeout, MAX_TIMEOUT_SECONDS)),
                    share.asBoolean(true), selection(b.path("include")));
        }
        throw new UserError(ExitCode.USAGE, "no such call: " + method + " " + (path.length() > 80 ? path.substring(0, 80) + "..." : path));
    }

    /** The query's {@code wait=<milliseconds>}, capped at {@link #MAX_WAIT_MILLIS}; 0 without one. */
    private static long waitMillis(String query) {
        if (query.isEmpty()) {
            return 0;
        }
        if (!query.matches("wait=[0-9]{1,9}")) {
            throw new UserError(ExitCode.USAGE, "a download's only query is wait=<milliseconds>");
        }
        return Math.min(Long.parseLong(query.substring("wait=".length())), MAX_WAIT_MILLIS);
    }

    /** {@code <id>/pause}, {@code <id>/resume} or {@code <id>/cancel} (body {@code {"delete": true}} or empty). */
    private static ControlRequest downloadAction(String rest, byte[] body) {
        int slash = rest.indexOf('/');
        String id = slash < 0 ? "" : rest.substring(0, slash);
        DownloadAction.Verb verb = switch (slash < 0 ? "" : rest.substring(slash + 1)) {
            case "pause" -> DownloadAction.Verb.PAUSE;
            case "resume" -> DownloadAction.Verb.RESUME;
            case "cancel" -> DownloadAction.Verb.CANCEL;
            default -> null;
        };
        if (verb == null || !id.matches("[0-9]{1,9}")) {
            throw new UserError(ExitCode.USAGE, "no such call: POST /v1/downloads/" + (rest.length() > 40 ? rest.substring(0, 40) : rest));
        }
        boolean delete = false;
        if (body.length > 0) {
            JsonNode d = json(body).path("delete");
            if (!d.isMissingNode() && !d.isBoolean()) {
                throw new UserError(ExitCode.USAGE, "delete must be true or false");
            }
            delete = d.asBoolean(false);
        }
        return new DownloadAction(id, verb, delete);
    }

    /** A rate field: text with units ("20M") or bytes per second; null when absent. */
    private static Long rate(JsonNode body, String field) {
        JsonNode n = body.path(field);
        if (n.isMissingNode()) {
            return null;
        }
        if (!n.isTextual() && !n.isIntegralNumber()) {
            throw new UserError(ExitCode.USAGE, field + " must be a rate like \"20M\" or bytes per second");
        }
        try {
            return RateArg.parse(n.asText());
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, field + ": " + e.getMessage());
        }
    }

    private static JsonNode json(byte[] body) {
        try {
            JsonNode n = JSON.readTree(body);
            if (n == null || !n.isObject()) {
                throw new UserError(ExitCode.USAGE, "request body must be a JSON object");
            }
            return n;
        } catch (IOException e) {
            throw new UserError(ExitCode.USAGE, "request body is not JSON");
        }
    }

    /** The {@code include} globs of a get: a list of text, each checked by {@link Selection#of}. */
    private static Selection selection(JsonNode include) {
        if (include.isMissingNode() || include.isNull()) {
            return Selection.ALL;
        }
        if (!include.isArray() || include.size() > Selection.MAX_GLOBS) {
            throw new UserError(ExitCode.USAGE, "include must be a list of at most " + Selection.MAX_GLOBS + " globs");
        }
        List<String> globs = new ArrayList<>();
        for (JsonNode g : include) {
            if (!g.isTextual()) {
                throw new UserError(ExitCode.USAGE, "include must be a list of text globs");
            }
            globs.add(g.asText());
        }
        try {
            return Selection.of(globs);
        } catch (IllegalArgumentException e) {
            throw new UserError(ExitCode.USAGE, e.getMessage());
        }
    }

    private static String text(JsonNode body, String field) {
        JsonNode n = body.get(field);
        if (n == null || !n.isTextual() || n.asText().isEmpty()) {
            throw new UserError(ExitCode.USAGE, "request needs a text field '" + field + "'");
        }
        return n.asText();
    }

    private static Path localPath(String text) {
        try {
            if (text.indexOf('\0') >= 0) {
                throw new InvalidPathException(text, "NUL character");
            }
            return Path.of(text).toAbsolutePath().normalize();
        } catch (InvalidPathException e) {
            throw new UserError(ExitCode.USAGE, "not a usable path: " + e.getReason());
        }
    }
}
