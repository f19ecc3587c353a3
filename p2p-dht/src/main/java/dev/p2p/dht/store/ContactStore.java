package dev.p2p.dht.store;

import dev.p2p.dht.Contact;
import dev.p2p.dht.NodeId;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The routing table's contacts in the data directory ({@code contacts.txt}, one
 * {@code <node id hex> <ip> <port>} a line), so a restarted node rejoins without its bootstrap
 * peers. The file is only a hint: a damaged one is set aside ({@link StateFiles}) and the node
 * starts with the contacts it could read, written back at once.
 */
public final class ContactStore {
    public static final String FILE_NAME = "contacts.txt";
    /** Lines read at most: the file is local but may be damaged or tampered with. */
    static final int MAX_CONTACTS = 10_000;
    /** Longest file this node writes: MAX_CONTACTS lines of at most 64 + 1 + 45 + 1 + 5 + 1 bytes. */
    private static final int MAX_FILE_BYTES = MAX_CONTACTS * 120;

    private ContactStore() {}

    public static void save(Path dataDir, List<Contact> contacts) throws IOException {
        StringBuilder s = new StringBuilder();
        for (Contact c : contacts) {
            s.append(c.id().toHex()).append(' ').append(c.address().getAddress().getHostAddress()).append(' ')
                    .append(c.address().getPort()).append('\n');
        }
        PrivateFiles.writeAtomically(dataDir.resolve(FILE_NAME), s.toString());
    }

    /** The contacts remembered in {@code dataDir}; a damaged file is set aside and what could be read is kept. */
    public static List<Contact> load(Path dataDir) {
        Path file = dataDir.resolve(FILE_NAME);
        StateFiles.Lines read = StateFiles.readLines(file, MAX_FILE_BYTES);
        List<Contact> out = new ArrayList<>();
        String damage = read.damage();
        for (String line : read.lines()) {
            Contact c = parse(line);
            if (c == null) {
                damage = damage != null ? damage : "a line is not '<node id> <ip> <port>'";
            } else if (out.size() < MAX_CONTACTS) {
                out.add(c);
            }
        }
        if (damage != null) {
            Path aside = StateFiles.setAside(file, damage, out.isEmpty() ? "the node rejoins through --bootstrap or the config file"
                    : "the node keeps the " + out.size() + " contacts it could read");
            if (aside != null) {
                try {
                    save(dataDir, out);
                } catch (IOException e) {
                    StateFiles.warn("cannot write " + file + " (" + FileErrors.describe(e) + "); contacts are not remembered");
                }
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
