package dev.p2p.transfer.content;

/** Told how far hashing a shared path has got; called from the indexing thread. */
@FunctionalInterface
public interface IndexProgress {
    IndexProgress NONE = (done, total) -> {};

    /** @param bytesHashed bytes hashed so far @param bytesTotal bytes to hash in all */
    void progress(long bytesHashed, long bytesTotal);
}
