#!/usr/bin/env python3
"""Shares of async-profiler samples (collapsed stacks) per bucket: a sample counts in the first
bucket of this order that its stack matches. Used by bench/transfer/profile.sh.

  buckets.py SEEDER.collapsed DOWNLOADER.collapsed
"""
import collections
import sys


def has(frames, *keys):
    return any(k in f for f in frames for k in keys)


BUCKETS = [
    ('JIT compiler threads', lambda fr: 'CompilerThre' in fr[0]),
    ('SHA-256', lambda fr: has(fr, 'sha256', 'SHA2.')),
    ('AES-GCM of TLS records', lambda fr: has(fr, 'ghash', 'GHASH', 'counterMode', 'AESCrypt', 'GaloisCounterMode', 'CounterMode')),
    ('file read (pread)', lambda fr: has(fr, 'pread')),
    ('file write (a chunk gathered into one aligned buffer, O_DIRECT)', lambda fr: has(fr, 'pwrite', 'FileChannelImpl.write', 'DirectWriter')),
    ('fsync', lambda fr: has(fr, 'force0', 'fsync', 'fdatasync')),
    ('socket write', lambda fr: has(fr, 'writev', 'write0')),
    ('socket read', lambda fr: has(fr, 'readAddress', 'read0')),
    ('copies (heap/direct, TLS record layer)', lambda fr: any(k in fr[-1] for k in ('arraycopy', 'copyMemory', 'Copy::'))),
    ('stat of the served file (changed-file check)', lambda fr: has(fr, 'unchangedFileKey', 'unwrittenSince', 'FileStamp')),
    ('JDK SSLEngine, other', lambda fr: has(fr, 'sun/security/ssl')),
    ('Netty pipeline, codecs, session, scheduler, GC, kernel rest', lambda fr: True),
]


def shares(path):
    counts = collections.Counter()
    total = 0
    with open(path) as f:
        for line in f:
            stack, n = line.rstrip().rsplit(' ', 1)
            frames = stack.split(';')
            total += int(n)
            for name, matches in BUCKETS:
                if matches(frames):
                    counts[name] += int(n)
                    break
    return counts, total


def main(args):
    if len(args) != 2:
        print(__doc__, file=sys.stderr)
        return 2
    (seed, seed_total), (get, get_total) = shares(args[0]), shares(args[1])
    print('| bucket | seeder node | downloading node |')
    print('|---|---|---|')
    for name, _ in BUCKETS:
        print('| %s | %.1f %% | %.1f %% |' % (name, 100 * seed[name] / max(1, seed_total), 100 * get[name] / max(1, get_total)))
    return 0


if __name__ == '__main__':
    sys.exit(main(sys.argv[1:]))
