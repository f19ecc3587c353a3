package dev.p2p.cli;

/** The exit codes of the p2p command; scripts rely on them (listed in the README). */
public final class ExitCode {
    public static final int OK = 0;
    /** A bug or an unexpected failure: the message says where the log is. */
    public static final int INTERNAL = 1;
    /** A user mistake: unknown flag, missing file, malformed link or address. */
    public static final int USAGE = 2;
    /** The content was not found in the network within the timeout. */
    public static final int NOT_FOUND = 3;
    /** A network problem: port in use, no bootstrap peer answered. */
    public static final int NETWORK = 4;
    /** The download could not complete (peers left, nothing verified, disk full). */
    public static final int TRANSFER = 5;
    /** The running node refused the call (wrong token) or could not be reached. */
    public static final int CONTROL = 6;
    /** Interrupted (Ctrl-C) before finishing. */
    public static final int INTERRUPTED = 130;

    private ExitCode() {}
}
