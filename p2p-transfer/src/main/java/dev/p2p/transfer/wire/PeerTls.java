package dev.p2p.transfer.wire;

import dev.p2p.dht.Identity;
import dev.p2p.dht.NodeId;
import io.netty.handler.ssl.ClientAuth;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslHandler;
import io.netty.handler.ssl.SslProvider;
import java.math.BigInteger;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Date;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLPeerUnverifiedException;
import org.bouncycastle.asn1.DEROctetString;
import org.bouncycastle.asn1.edec.EdECObjectIdentifiers;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.AlgorithmIdentifier;
import org.bouncycastle.asn1.x509.SubjectPublicKeyInfo;
import org.bouncycastle.cert.X509v3CertificateBuilder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;

/**
 * TLS 1.3 between peers with no certificate authority: each node presents a self-signed
 * certificate over its own Ed25519 identity key (built with Bouncy Castle), and a peer is who its
 * key says: node id = SHA-256(raw public key). {@link NodeIdTrustManager} accepts only well-formed
 * self-signed Ed25519 certificates; {@link #peerNodeId} then gives the proven id after the
 * handshake, which callers compare with the id they expected.
 */
public final class PeerTls {
    private static final Date NOT_BEFORE = new Date(1577836800000L); // 2020-01-01
    private static final Date NOT_AFTER = new Date(4102444800000L); // 2100-01-01
    private static final String[] PROTOCOLS = {"TLSv1.3"};
    // Netty hands the key to the JDK through an in-memory key store. The default type, PKCS#12,
    // encrypts it with PBKDF2 (10,000 HMAC rounds) and decrypts it again for each context: a quarter
    // of a CPU-second at every start, and C2 then compiles that loop while the first download wants
    // the compiler. The store never leaves memory and its password is empty; JKS protects a key
    // with a few hashes.
    private static final String KEY_STORE = "JKS";

    private final SslContext server;
    private final SslContext client;

    public PeerTls(Identity identity) {
        try {
            PrivateKey key = privateKey(identity);
            X509Certificate cert = certificate(identity, key);
            server = SslContextBuilder.forServer(key, cert).keyStoreType(KEY_STORE)
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .clientAuth(ClientAuth.REQUIRE)
                    .trustManager(new NodeIdTrustManager())
                    .build();
            client = SslContextBuilder.forClient()
                    .keyManager(key, cert).keyStoreType(KEY_STORE)
                    .sslProvider(SslProvider.JDK).protocols(PROTOCOLS)
                    .trustManager(new NodeIdTrustManager())
                    .build();
        } catch (SSLException | CertificateException e) {
            throw new IllegalStateException("cannot set up TLS with the node key: " + e.getMessage(), e);
        }
    }

    public SslContext serverContext() {
        return server;
    }

    public SslContext clientContext() {
        return client;
    }

    /** The node id proven by the peer's certificate on a completed handshake. */
    public static NodeId peerNodeId(SslHandler ssl) throws SSLPeerUnverifiedException {
        Certificate[] chain = ssl.engine().getSession().getPeerCertificates();
        try {
            return NodeIdTrustManager.nodeIdOf((X509Certificate) chain[0]);
        } catch (CertificateException e) {
            throw new SSLPeerUnverifiedException(e.getMessage());
        }
    }

    /** The JDK form of the identity's private key (PKCS#8 built by Bouncy Castle's ASN.1 classes). */
    static PrivateKey privateKey(Identity identity) {
        try {
            PrivateKeyInfo info = new PrivateKeyInfo(new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519),
                    new DEROctetString(identity.privateKey()));
            return KeyFactory.getInstance("Ed25519").generatePrivate(new PKCS8EncodedKeySpec(info.getEncoded()));
        } catch (java.io.IOException | java.security.GeneralSecurityException e) {
            throw new IllegalStateException("cannot convert the Ed25519 key", e);
        }
    }

    /** A self-signed X.509 v3 certificate over the identity key; deterministic for a key. */
    public static X509Certificate certificate(Identity identity, PrivateKey key) throws CertificateException {
        X500Name name = new X500Name("CN=" + identity.nodeId().toHex());
        SubjectPublicKeyInfo spki = new SubjectPublicKeyInfo(
                new AlgorithmIdentifier(EdECObjectIdentifiers.id_Ed25519), identity.publicKey());
        try {
            var holder = new X509v3CertificateBuilder(name, BigInteger.ONE, NOT_BEFORE, NOT_AFTER, name, spki)
                    .build(new JcaContentSignerBuilder("Ed25519").build(key));
            return new JcaX509CertificateConverter().getCertificate(holder);
        } catch (OperatorCreationException e) {
            throw new CertificateException("cannot sign the certificate", e);
        }
    }
}
