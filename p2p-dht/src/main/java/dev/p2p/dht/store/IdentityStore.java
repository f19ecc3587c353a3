package dev.p2p.dht.store;

import dev.p2p.dht.Identity;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.HexFormat;

/**
 * Keeps a node's identity in its data directory as {@code identity.key}: the hex private key seed,
 * created on first start with permissions 600 so no other local user can read it. Unlike the
 * node's caches it is never set aside: a node with another key is another node, so a damaged key
 * file stops the start with {@link DamagedIdentityException}.
 */
public final class IdentityStore {
    public static final String FILE_NAME = "identity.key";
    /** The file holds 64 hex digits and a newline; anything longer is not this node's key file. */
    private static final int MAX_FILE_BYTES = 1024;

    private IdentityStore() {}

    /** The identity key file could not be used; its message is one line naming the file and what to do. */
    public static final class DamagedIdentityException extends IOException {
        private static final long serialVersionUID = 1L;

        DamagedIdentityException(Path file, String why) {
            super("identity file " + file + " cannot be used (" + why + "): it holds this node's key; put back a good copy, "
                    + "or move it away to start as a new node with a new node id");
        }
    }

    /** Loads the identity kept in {@code dataDir}, making and saving a new one on first start. */
    public static Identity loadOrCreate(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        if (Files.exists(file, LinkOption.NOFOLLOW_LINKS)) {
            return load(file);
        }
        Files.createDirectories(dataDir);
        Identity identity = Identity.generate(new SecureRandom());
        PrivateFiles.writeAtomically(file, HexFormat.of().formatHex(identity.privateKey()) + "\n");
        return identity;
    }

    private static Identity load(Path file) throws DamagedIdentityException {
        String text;
        try {
            if (!Files.isRegularFile(file)) {
                throw new DamagedIdentityException(file, "not a regular file");
            }
            byte[] bytes;
            try (InputStream in = Files.newInputStream(file)) {
                bytes = in.readNBytes(MAX_FILE_BYTES + 1);
            }
            if (bytes.length > MAX_FILE_BYTES) {
                throw new DamagedIdentityException(file, "over " + MAX_FILE_BYTES + " bytes");
            }
            text = StandardCharsets.US_ASCII.newDecoder().decode(ByteBuffer.wrap(bytes)).toString().trim();
        } catch (CharacterCodingException e) {
            throw new DamagedIdentityException(file, "not hex text");
        } catch (DamagedIdentityException e) {
            throw e;
        } catch (IOException e) {
            throw new DamagedIdentityException(file, "cannot be read: " + FileErrors.describe(e));
        }
        try {
            return Identity.fromPrivateKey(HexFormat.of().parseHex(text));
        } catch (IllegalArgumentException e) {
            throw new DamagedIdentityException(file, "not a hex Ed25519 key: " + e.getMessage());
        }
    }
}
