#!/usr/bin/env python3
"""The libtorrent 2.0 side of bench/transfer/vs-libtorrent.sh (Debian's python3-libtorrent).

  lt.py torrent FILE OUT.torrent       a v2-only torrent of FILE, 1 MiB pieces: SHA-256 Merkle
                                       hashes, verified per piece, as p2p verifies per chunk
  lt.py seed TORRENT DIR PORT          seeds DIR/<name> on 127.0.0.1:PORT; prints "ready" once
                                       its check of the file is done; runs until killed
  lt.py get TORRENT DIR SEEDER_PORT    downloads into DIR, dialling 127.0.0.1:SEEDER_PORT only;
                                       exits 0 once every piece passed its hash check and
                                       libtorrent has written every block to the file

DHT, local peer discovery, UPnP and NAT-PMP are off, peer encryption is disabled both ways and
uTP is off, so the only traffic is one plain BitTorrent connection over TCP between the two
processes. Everything else is libtorrent's default.
"""
import os
import sys
import time

import libtorrent as lt


def session(port, alerts=0):
    return lt.session({
        'listen_interfaces': '127.0.0.1:%d' % port,
        'enable_dht': False,
        'enable_lsd': False,
        'enable_upnp': False,
        'enable_natpmp': False,
        'in_enc_policy': int(lt.enc_policy.disabled),
        'out_enc_policy': int(lt.enc_policy.disabled),
        # TCP only, as p2p: libtorrent prefers uTP on outgoing connections, and uTP's delay-based
        # congestion control runs at a few MB/s over loopback here.
        'enable_outgoing_utp': False,
        'enable_incoming_utp': False,
        # A new downloader process must not wait for the seeder to notice the last one is gone.
        'allow_multiple_connections_per_ip': True,
        'alert_mask': alerts,
    })


def wait_seeding(handle):
    while not handle.status().is_seeding:
        time.sleep(0.005)


def main(args):
    if args[0] == 'torrent':
        fs = lt.file_storage()
        lt.add_files(fs, args[1])
        t = lt.create_torrent(fs, 1 << 20, flags=lt.create_torrent.v2_only)
        lt.set_piece_hashes(t, os.path.dirname(os.path.abspath(args[1])))
        with open(args[2], 'wb') as f:
            f.write(lt.bencode(t.generate()))
        return 0
    info = lt.torrent_info(args[1])
    if args[0] == 'seed':
        s = session(int(args[3]))
        h = s.add_torrent({'ti': info, 'save_path': args[2]})
        wait_seeding(h)
        print('ready', flush=True)
        while True:
            time.sleep(3600)
    if args[0] == 'get':
        s = session(0, int(lt.alert.category_t.storage_notification))
        h = s.add_torrent({'ti': info, 'save_path': args[2]})
        # A dial made while the torrent still checks its (absent) files can be dropped, and
        # libtorrent then waits seconds before it retries: dial again until the peer is there.
        last_dial = 0.0
        while not h.status().is_seeding:
            if h.status().num_peers == 0 and time.monotonic() - last_dial > 0.1:
                h.connect_peer(('127.0.0.1', int(args[3])))
                last_dial = time.monotonic()
            time.sleep(0.005)
        # Every piece passed its check, but libtorrent may still hold blocks it has not copied
        # into the file: exit once it says all were written (they stay in the page cache).
        h.flush_cache()
        while True:
            s.wait_for_alert(1000)
            if any(isinstance(a, lt.cache_flushed_alert) for a in s.pop_alerts()):
                os._exit(0)
    print(__doc__, file=sys.stderr)
    return 2


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
