package dev.p2p.transfer.content;

import com.google.common.io.BaseEncoding;
import dev.p2p.dht.NodeId;
import java.util.Arrays;
import java.util.HexFormat;

/**
 * A content id: SHA-256 of the canonical manifest bytes, so it commits to the layout and, through
 * the per-file Merkle roots, to every byte. Its text form is 52 characters of lower-case RFC 4648
 * base32 without padding; parsing accepts only that canonical form.
 */
public final class ContentId {
    public static final int BYTES = 32;
    public static final int TEXT_LENGTH = 52;
    private static final BaseEncoding BASE32 = BaseEncoding.base32().lowerCase().omitPadding();

    private final byte[] bytes;

    private ContentId(byte[] bytes) {
        this.bytes = bytes;
    }

    public static ContentId of(byte[] bytes) {
        if (bytes.length != BYTES) {
            throw new IllegalArgumentException("a content id is 32 bytes, got " + bytes.length);
        }
        return new ContentId(bytes.clone());
    }

    /** The id of a manifest given its canonical encoding. */
    public static ContentId ofManifest(byte[] manifestBytes) {
        return new ContentId(Hashes.sha256(manifestBytes));
    }

    /** Parses the 52-character base32 text form; anything else is refused. */
    public static ContentId parse(String text) {
        if (text.length() != TEXT_LENGTH) {
            throw new IllegalArgumentException("a content id is " + TEXT_LENGTH + " base32 characters, got " + text.length());
        }
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (!((c >= 'a' && c <= 'z') || (c >= '2' && c <= '7'))) {
                throw new IllegalArgumentException("a content id uses only a-z and 2-7, found '" + c + "'");
            }
        }
        byte[] decoded = BASE32.decode(text);
        if (decoded.length != BYTES || !BASE32.encode(decoded).equals(text)) {
            throw new IllegalArgumentException("content id is not in canonical base32 form");
        }
        return new ContentId(decoded);
    }

    public byte[] toBytes() {
        return bytes.clone();
    }

    /** The same 32 bytes as a DHT key, for provider records. */
    public NodeId toKey() {
        return NodeId.of(bytes);
    }

    public String toText() {
        return BASE32.encode(bytes);
    }

    public String toHex() {
        return HexFormat.of().formatHex(bytes);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof ContentId c && Arrays.equals(bytes, c.bytes);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(bytes);
    }

    @Override
    public String toString() {
        return toText();
    }
}
