package dev.p2p.dht;

import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.util.Arrays;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Tokens that prove an ADD_PROVIDER comes from the address that asked GET_PROVIDERS before: an
 * HMAC-SHA256 of the requester's IP under a secret that rotates, so a spoofed source cannot store.
 * A token stays valid for one to two rotation periods.
 */
final class StoreTokens {
    static final int TOKEN_BYTES = 16;
    private static final int SECRET_BYTES = 32;

    private final java.util.Random random;
    private byte[] current;
    private byte[] previous;
    private final Mac mac;

    StoreTokens(java.util.Random random) {
        this.random = random;
        this.current = newSecret();
        this.previous = current;
        try {
            this.mac = Mac.getInstance("HmacSHA256");
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required by every JDK", e);
        }
    }

    void rotate() {
        previous = current;
        current = newSecret();
    }

    byte[] issue(byte[] ip) {
        return hmac(current, ip);
    }

    boolean isValid(byte[] token, byte[] ip) {
        return token.length == TOKEN_BYTES
                && (MessageDigest.isEqual(token, hmac(current, ip)) || MessageDigest.isEqual(token, hmac(previous, ip)));
    }

    private byte[] newSecret() {
        byte[] s = new byte[SECRET_BYTES];
        random.nextBytes(s);
        return s;
    }

    private byte[] hmac(byte[] secret, byte[] ip) {
        try {
            mac.init(new SecretKeySpec(secret, "HmacSHA256"));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
        return Arrays.copyOf(mac.doFinal(ip), TOKEN_BYTES);
    }
}
