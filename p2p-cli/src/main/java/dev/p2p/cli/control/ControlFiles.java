package dev.p2p.cli.control;

import com.fasterxml.jackson.databind.JsonNode;
import dev.p2p.dht.store.PrivateFiles;
import dev.p2p.dht.store.StateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;

/**
 * The files through which CLI commands find a running node: {@code control.token} (the secret
 * every control call must carry) and {@code node.json} (where the node's control API listens).
 * Both are mode 600: only the user who runs the node can drive it.
 */
public final class ControlFiles {
    public static final String TOKEN_FILE = "control.token";
    public static final String NODE_FILE = "node.json";

    private ControlFiles() {}

    /** The data directory's control token, made on first use; a damaged one is set aside and replaced. */
    public static String tokenFor(Path dataDir) throws IOException {
        Path file = dataDir.resolve(TOKEN_FILE);
        StateFiles.Lines read = StateFiles.readLines(file, 1024);
        if (read.damage() == null && read.lines().size() == 1 && read.lines().get(0).trim().matches("[0-9a-f]{64}")) {
            return read.lines().get(0).trim();
        }
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            StateFiles.setAside(file, read.damage() != null ? read.damage() : "not a token", "a new token is made");
        }
        byte[] secret = new byte[32];
        new SecureRandom().nextBytes(secret);
        String token = HexFormat.of().formatHex(secret);
        PrivateFiles.writeAtomically(file, token + "\n");
        return token;
    }

    public static void writeNodeInfo(Path dataDir, int controlPort, int port, String nodeId) throws IOException {
        Map<String, Object> info = Map.of("pid", ProcessHandle.current().pid(), "controlPort", controlPort, "port", port,
                "nodeId", nodeId);
        Path file = dataDir.resolve(NODE_FILE);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS) && !Files.isRegularFile(file, LinkOption.NOFOLLOW_LINKS)) {
            StateFiles.setAside(file, "not a regular file", "it is written anew");
        }
        PrivateFiles.writeAtomically(file, new String(StreamingJson.write(info), StandardCharsets.UTF_8) + "\n");
    }

    /** The control port of the node running on {@code dataDir}, or -1 when none says it runs. */
    public static int controlPort(Path dataDir) {
        Path file = dataDir.resolve(NODE_FILE);
        try {
            if (!Files.exists(file) || Files.size(file) > 4096) {
                return -1;
            }
            JsonNode n = StreamingJson.read(Files.readAllBytes(file));
            long pid = n.path("pid").asLong(-1);
            if (pid > 0 && ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false)) {
                int port = n.path("controlPort").asInt(-1);
                return port > 0 && port < 65536 ? port : -1;
            }
        } catch (IOException e) {
            // a damaged file means no usable node
        }
        return -1;
    }

    public static void removeNodeInfo(Path dataDir) {
        try {
            Files.deleteIfExists(dataDir.resolve(NODE_FILE));
        } catch (IOException e) {
            // stale file: controlPort() checks the pid anyway
        }
    }
}
