package dev.p2p.transfer.content;

import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The canonical binary form of a manifest (docs/TRANSFER-PROTOCOL.md, "Manifest"). Encoding is
 * deterministic, so the content id (SHA-256 of these bytes) is unique for a layout; decoding is
 * strict: every count and length is checked against the bytes left before anything is allocated,
 * strings must be valid UTF-8, trailing bytes are refused, and {@link Manifest}'s rules apply.
 */
public final class ManifestCodec {
    public static final int MAX_BYTES = 1024 * 1024;
    static final byte[] MAGIC = {'P', '2', 'P', 'M'};
    static final int VERSION = 1;
    private static final int MIN_ENTRY_BYTES = 1 + 2;

    private ManifestCodec() {}

    public static byte[] encode(Manifest m) {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        try (DataOutputStream out = new DataOutputStream(bytes)) {
            out.write(MAGIC);
            out.writeByte(VERSION);
            out.writeByte(m.directory() ? 1 : 0);
            out.writeInt(m.chunkSize());
            writeString(out, m.name());
            out.writeInt(m.entries().size());
            for (ManifestEntry e : m.entries()) {
                out.writeByte(e.directory() ? 1 : 0);
                writeString(out, e.path());
                if (!e.directory()) {
                    out.writeLong(e.size());
                    out.write(e.root());
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        if (bytes.size() > MAX_BYTES) {
            throw new ManifestException("manifest larger than " + MAX_BYTES + " bytes; share fewer files at once");
        }
        return bytes.toByteArray();
    }

    /** Decodes untrusted bytes; throws {@link ManifestException} with the reason on anything wrong. */
    public static Manifest decode(byte[] data) {
        if (data.length > MAX_BYTES) {
            throw new ManifestException("manifest larger than " + MAX_BYTES + " bytes");
        }
        ByteBuffer in = ByteBuffer.wrap(data);
        try {
            byte[] magic = new byte[MAGIC.length];
            in.get(magic);
            if (!java.util.Arrays.equals(magic, MAGIC)) {
                throw new ManifestException("not a manifest (bad magic)");
            }
            int version = in.get() & 0xff;
            if (version != VERSION) {
                throw new ManifestException("unsupported manifest version " + version);
            }
            int kind = in.get() & 0xff;
            if (kind > 1) {
                throw new ManifestException("unknown manifest kind " + kind);
            }
            int chunkSize = in.getInt();
            String name = readString(in);
            long count = in.getInt() & 0xffffffffL;
            if (count > ManifestRules.MAX_ENTRIES || count * MIN_ENTRY_BYTES > in.remaining()) {
                throw new ManifestException("entry count " + count + " does not fit the manifest");
            }
            List<ManifestEntry> entries = new ArrayList<>((int) count);
            for (int i = 0; i < count; i++) {
                entries.add(readEntry(in));
            }
            if (in.hasRemaining()) {
                throw new ManifestException(in.remaining() + " trailing bytes after the manifest");
            }
            return new Manifest(name, kind == 1, chunkSize, entries);
        } catch (BufferUnderflowException e) {
            throw new ManifestException("manifest is truncated");
        } catch (IllegalArgumentException e) {
            throw e instanceof ManifestException me ? me : new ManifestException(e.getMessage());
        }
    }

    private static ManifestEntry readEntry(ByteBuffer in) {
        int type = in.get() & 0xff;
        if (type > 1) {
            throw new ManifestException("unknown entry type " + type);
        }
        String path = readString(in);
        if (type == 1) {
            return ManifestEntry.emptyDirectory(path);
        }
        long size = in.getLong();
        if (size < 0) {
            throw new ManifestException("negative file size");
        }
        byte[] root = new byte[Hashes.BYTES];
        in.get(root);
        return ManifestEntry.file(path, size, root);
    }

    private static void writeString(DataOutputStream out, String s) throws IOException {
        byte[] b = s.getBytes(StandardCharsets.UTF_8);
        if (b.length > 0xffff) {
            throw new ManifestException("string longer than 65535 bytes");
        }
        out.writeShort(b.length);
        out.write(b);
    }

    private static String readString(ByteBuffer in) {
        int len = in.getShort() & 0xffff;
        if (len > in.remaining()) {
            throw new ManifestException("string length " + len + " exceeds the manifest");
        }
        ByteBuffer slice = in.slice();
        slice.limit(len);
        in.position(in.position() + len);
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(slice).toString();
        } catch (CharacterCodingException e) {
            throw new ManifestException("name is not valid UTF-8");
        }
    }
}
