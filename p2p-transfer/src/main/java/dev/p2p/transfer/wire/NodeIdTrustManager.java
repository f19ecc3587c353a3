package dev.p2p.transfer.wire;

import dev.p2p.dht.NodeId;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.X509ExtendedTrustManager;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;

/**
 * Trusts a peer certificate only if it is a single self-signed Ed25519 certificate whose signature
 * verifies with its own key. Which node that key belongs to is checked by the caller after the
 * handshake (the trust manager is shared by all connections, the expected id is not).
 */
final class NodeIdTrustManager extends X509ExtendedTrustManager {
    /** SHA-256 of the raw 32-byte Ed25519 key in {@code cert}; refuses any other key type. */
    static NodeId nodeIdOf(X509Certificate cert) throws CertificateException {
        SubjectPublicKeyInfo spki = SubjectPublicKeyInfo.getInstance(cert.getPublicKey().getEncoded());
        if (!EdECObjectIdentifiers.id_Ed25519.equals(spki.getAlgorithm().getAlgorithm())) {
            throw new CertificateException("peer certificate key is not Ed25519");
        }
        byte[] raw = spki.getPublicKeyData().getOctets();
        if (raw.length != 32) {
            throw new CertificateException("peer Ed25519 key is not 32 bytes");
        }
        return NodeId.sha256(raw);
    }

    private static void check(X509Certificate[] chain) throws CertificateException {
        if (chain == null || chain.length != 1) {
            throw new CertificateException("peer must present exactly one self-signed certificate");
        }
        X509Certificate cert = chain[0];
        nodeIdOf(cert);
        try {
            cert.verify(cert.getPublicKey());
        } catch (GeneralSecurityException e) {
            throw new CertificateException("peer certificate is not signed by its own key", e);
        }
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, Socket socket) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkClientTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public void checkServerTrusted(X509Certificate[] chain, String authType, SSLEngine engine) throws CertificateException {
        check(chain);
    }

    @Override
    public X509Certificate[] getAcceptedIssuers() {
        return new X509Certificate[0];
    }
}
