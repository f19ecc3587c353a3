package dev.p2p.transfer.content;

/** A manifest (or a name in it) is malformed or unsafe; the message says which rule it breaks. */
public final class ManifestException extends IllegalArgumentException {
    public ManifestException(String message) {
        super(message);
    }
}
