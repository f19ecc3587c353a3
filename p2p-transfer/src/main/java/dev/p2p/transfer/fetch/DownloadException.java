package dev.p2p.transfer.fetch;

import java.io.IOException;

/** A download could not complete; the message says why in one line (partial data is kept). */
public final class DownloadException extends IOException {
    public DownloadException(String message) {
        super(message);
    }

    public DownloadException(String message, Throwable cause) {
        super(message, cause);
    }
}
