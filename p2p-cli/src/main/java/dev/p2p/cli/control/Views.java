package dev.p2p.cli.control;

import dev.p2p.cli.node.DownloadState;
import dev.p2p.cli.node.LocalNode;
import dev.p2p.cli.node.ShareRescanner;
import dev.p2p.dht.Contact;
import dev.p2p.transfer.PeerAddress;
import dev.p2p.transfer.content.ContentId;
import dev.p2p.transfer.content.SharedContent;
import dev.p2p.transfer.session.TransferLimits;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The data the commands print and the control API returns, as plain maps (Jackson writes them as
 * JSON; the text output reads the same maps), so `--json` and the API agree field for field.
 */
public final class Views {
    private Views() {}

    public static Map<String, Object> id(LocalNode node) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("nodeId", node.identity().nodeId().toHex());
        m.put("port", node.port());
        InetSocketAddress seen = node.observedAddress();
        m.put("observedAddress", seen == null ? null : seen.getAddress().getHostAddress() + ":" + node.port());
        m.put("dataDir", node.dataDir().toString());
        Map.Entry<dev.p2p.dht.Reachability.Status, String> r = node.reachability();
        m.put("reachability", r.getKey() == null ? "static" : r.getKey().name().toLowerCase(java.util.Locale.ROOT));
        m.put("reachabilityReason", r.getValue());
        m.put("relay", relayText(node));
        return m;
    }

    /** The relay a node behind NAT is found through (docs/REACHABILITY.md), as a peer address; null when public or none. */
    public static String relayText(LocalNode node) {
        Contact relay = node.reachable() ? null : node.relay();
        return relay == null ? null : PeerAddress.of(relay.address(), relay.id()).toString();
    }

    public static Map<String, Object> peers(LocalNode node) throws InterruptedException {
        List<Map<String, Object>> list = new ArrayList<>();
        for (Contact c : node.contacts()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("nodeId", c.id().toHex());
            m.put("address", c.address().getAddress().getHostAddress() + ":" + c.address().getPort());
            m.put("bucket", node.identity().nodeId().bucketIndex(c.id()));
            list.add(m);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("size", list.size());
        out.put("contacts", list);
        return out;
    }

    public static Map<String, Object> share(LocalNode node, Path path, SharedContent c) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("path", path.toString());
        m.put("contentId", c.id().toText());
        m.put("size", c.manifest().totalSize());
        m.put("state", c.isStale() ? "changed on disk: served under a new link after the next rescan" : "serving");
        m.put("link", node.linkFor(c).format());
        String relay = relayText(node);
        m.put("announced", node.reachable() || relay != null); // behind NAT: a relayed record, docs/REACHABILITY.md
        if (relay != null) {
            m.put("relay", relay);
        }
        List<Map<String, Object>> before = new ArrayList<>();
        for (ShareRescanner.Replaced r : node.replacedShares()) {
            if (r.path().equals(path)) {
                Map<String, Object> b = new LinkedHashMap<>();
                b.put("contentId", r.before().toText());
                b.put("state", r.gone() ? "gone: a file changed" : "serving: its files are unchanged");
                before.add(b);
            }
        }
        m.put("earlierLinks", before);
        return m;
    }

    public static Map<String, Object> unshared(Map<Path, ContentId> unshared) {
        List<Map<String, Object>> list = new ArrayList<>();
        unshared.forEach((path, id) -> {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("path", path.toString());
            m.put("contentId", id == null ? null : id.toText());
            list.add(m);
        });
        return Map.of("unshared", list);
    }

    public static Map<String, Object> limits(TransferLimits.Settings l) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("maxPeers", l.maxPeers());
        m.put("uploadRateBytesPerSecond", l.uploadBytesPerSecond());
        m.put("downloadRateBytesPerSecond", l.downloadBytesPerSecond());
        return m;
    }

    public static Map<String, Object> download(DownloadState d) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", d.id);
        m.put("name", d.name());
        m.put("link", d.link);
        m.put("outputDir", d.outputDir);
        m.put("include", d.selection.globs());
        m.put("state", d.phase().name().toLowerCase(java.util.Locale.ROOT));
        m.put("verifiedBytes", d.verifiedBytes());
        m.put("totalBytes", d.totalBytes());
        m.put("peers", d.peers());
        m.put("rateBytesPerSecond", Math.round(d.rateBytesPerSecond()));
        m.put("path", d.path());
        m.put("error", d.error());
        m.put("exitCode", d.exitCode());
        m.put("shared", d.isShared());
        m.put("shareError", d.shareError());
        m.put("resumedBytes", d.resumedBytes());
        return m;
    }

    public static Map<String, Object> downloads(LocalNode node) {
        List<Map<String, Object>> list = new ArrayList<>();
        for (DownloadState d : node.downloads()) {
            list.add(download(d));
        }
        return Map.of("downloads", list);
    }

    public static Map<String, Object> ls(LocalNode node) {
        List<Map<String, Object>> shares = new ArrayList<>();
        for (Map.Entry<Path, SharedContent> e : node.sharesByPath().entrySet()) {
            Map<String, Object> s = share(node, e.getKey(), e.getValue());
            s.put("uploadedBytes", node.uploaded(e.getValue().id()));
            shares.add(s);
        }
        List<Map<String, Object>> downloads = new ArrayList<>();
        for (DownloadState d : node.downloads()) {
            downloads.add(download(d));
        }
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("shares", shares);
        out.put("downloads", downloads);
        return out;
    }
}
