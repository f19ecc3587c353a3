package dev.p2p.dht.store;

import dev.p2p.dht.Contact;
import dev.p2p.dht.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing table's contacts in the data directory ({@code contacts.txt}, one
 * {@code <node id hex> <ip> <port>} a line), so a restarted node rejoins without its bootstrap
 * peers. A damaged line is skipped, not fatal: the file is only a hint.
 */
public final class ContactStore {
    public static final String FILE_NAME = "contacts.txt";
    /** Lines read at most: the file is local but may be damaged or tampered with. */
    static final int MAX_CONTACTS = 10_000;

    private ContactStore() {}

    public static void save(Path dataDir, List<Contact> contacts) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Contact c : contacts) {
            s.append(c.id().toHex()).append(' ').append(c.address().getAddress().getHostAddress()).append(' ')
                    .append(c.address().getPort()).append('\n');
        }
        PrivateFiles.writeAtomically(dataDir.resolve(FILE_NAME), s.toString());
    }

    public static List<Contact> load(Path dataDir) throws IOException {
        Path file = dataDir.resolve(FILE_NAME);
        List<Contact> out = new ArrayList<>();
        if (!Files.exists(file)) {
            return out;
        }
        for (String line : Files.readAllLines(file, StandardCharsets.UTF_8)) {
            if (out.size() >= MAX_CONTACTS) {
                break;
            }
            Contact c = parse(line);
            if (c != null) {
                out.add(c);
            }
        }
        return out;
    }

    private static Contact parse(String line) {
        String[] f = line.trim().split(" ");
        if (f.length != 3) {
            return null;
        }
        try {
            int port = Integer.parseInt(f[2]);
            if (port <= 0 || port > 65535 || !isIpLiteral(f[1])) {
                return null;
            }
            return new Contact(NodeId.fromHex(f[0]), new InetSocketAddress(InetAddress.getByName(f[1]), port));
        } catch (IllegalArgumentException | IOException e) {
            return null;
        }
    }

    /** Only literal addresses: a hostname would make loading the file do DNS. */
    private static boolean isIpLiteral(String s) {
        return s.matches("[0-9.]+") || (s.contains(":") && s.matches("[0-9a-fA-F:.%]+"));
    }
}
