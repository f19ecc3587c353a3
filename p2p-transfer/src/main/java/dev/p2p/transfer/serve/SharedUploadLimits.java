package dev.p2p.transfer.serve;

import dev.p2p.transfer.session.UploadLimits;

/** {@link UploadLimits} for a server whose connections run on several event loops: one lock serialises them. */
final class SharedUploadLimits extends UploadLimits {
    SharedUploadLimits(int maxPeers, long bytesPerSecond) {
        super(maxPeers, bytesPerSecond);
    }

    @Override
    public synchronized boolean admit() {
        return super.admit();
    }

    @Override
    public synchronized void release() {
        super.release();
    }

    @Override
    public synchronized long reserve(int bytes, long now) {
        return super.reserve(bytes, now);
    }

    @Override
    public synchronized void uploaded(int bytes) {
        super.uploaded(bytes);
    }

    @Override
    public synchronized long bytesUploaded() {
        return super.bytesUploaded();
    }
}
