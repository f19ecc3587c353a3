package dev.p2p.dht.store;

import dev.p2p.dht.Identity;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Keeps a node's identity in its data directory as {@code identity.key}: the hex private key seed,
 * created on first start with permissions 600 so no other local user can read it.
 */
public final class IdentityStore {
    public static final String FILE_NAME = "identity.key";

    private IdentityStore() {}

    /** Loads the identity kept in {@code dataDir}, making and saving a new one on first start. */
    public static Identity loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file)) {
            String hex = Files.readString(file).trim();
            try {
                return Identity.fromPrivateKey(HexFormat.of().parseHex(hex));
            } catch (IllegalArgumentException e) {
                throw new IOException("identity file " + file + " is damaged (" + e.getMessage()
                        + "); move it away to make a new identity", e);
            }
        }
        Files.createDirectories(dataDir);
        Identity identity = Identity.generate(new SecureRandom());
        PrivateFiles.writeAtomically(file, HexFormat.of().formatHex(identity.privateKey()) + "\n");
        return identity;
    }
}
