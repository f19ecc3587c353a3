#!/bin/sh
# Transfer benchmark: 1 GiB (or $1 MiB) from 1 and from 4 seeders on 127.0.0.1, with the SHA-256
# and TLS loopback limits measured in the same run. Run from the repository root.
set -e
SIZE_MIB=${1:-1024}
mvn -B -ntp -q -pl p2p-transfer -am test-compile dependency:build-classpath \
    -Dmdep.outputFile="$PWD/p2p-transfer/target/bench-classpath.txt" -Dmdep.includeScope=test
CP="p2p-transfer/target/test-classes:p2p-transfer/target/classes:p2p-dht/target/classes:$(cat p2p-transfer/target/bench-classpath.txt)"
exec java -Xmx1g -cp "$CP" dev.p2p.transfer.bench.TransferBench "$SIZE_MIB" ${2:+"$2"}
