package dev.mpdiag.server;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.Base64;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/**
 * The collector's HTTPS identity from PEM files (serve --tls-cert/--tls-key): a certificate chain, the server's own
 * first, and its unencrypted PKCS#8 private key (RSA, EC or EdDSA), as openssl and most CAs hand them out. Loaded
 * and checked at start, so a wrong file stops serve with one line rather than failing each handshake later.
 */
public final class ServerTls {
    private static final Pattern PEM = Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----([^-]+)-----END \\1-----");
    /** In memory only: Jetty's key manager wants a password for the key store it is given. */
    private static final char[] PASSWORD = "mpdiag".toCharArray();

    private final KeyStore keys;
    private ServerTls(KeyStore keys) {
        this.keys = keys;
    }

    /** Loads both files; throws IllegalArgumentException naming the file and what is wrong with it. */
    public static ServerTls load(Path certFile, Path keyFile) {
        Certificate[] chain;
        try (var in = new ByteArrayInputStream(read(certFile, "--tls-cert"))) {
            chain = CertificateFactory.getInstance("X.509").generateCertificates(in).toArray(new Certificate[0]);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("--tls-cert " + certFile + ": not a PEM certificate (" + e.getMessage() + ")");
        }
        if (chain.length == 0) {
            throw new IllegalArgumentException("--tls-cert " + certFile + ": holds no certificate");
        }
        PrivateKey key = privateKey(keyFile, new String(read(keyFile, "--tls-key"), StandardCharsets.US_ASCII));
        try {
            KeyStore ks = KeyStore.getInstance("PKCS12");
            ks.load(null, null);
            ks.setKeyEntry("mpdiag", key, PASSWORD, chain);
            return new ServerTls(ks);
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException("--tls-key " + keyFile + " does not go with --tls-cert " + certFile
                    + ": " + e.getMessage());
        }
    }

    /** Jetty's server-side TLS settings for this identity. */
    public SslContextFactory.Server contextFactory() {
        SslContextFactory.Server f = new SslContextFactory.Server();
        f.setKeyStore(keys);
        f.setKeyStorePassword(new String(PASSWORD));
        f.setKeyManagerPassword(new String(PASSWORD));
        return f;
    }

    /** A client context trusting only the PEM certificates in file (option names it in errors). */
    public static javax.net.ssl.SSLContext trusting(Path file, String option) {
        try (var in = new ByteArrayInputStream(read(file, option))) {
            KeyStore trusted = KeyStore.getInstance("PKCS12");
            trusted.load(null, null);
            int i = 0;
            for (Certificate c : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                trusted.setCertificateEntry("ca-" + i++, c);
            }
            if (i == 0) {
                throw new IllegalArgumentException(option + " " + file + ": holds no certificate");
            }
            javax.net.ssl.TrustManagerFactory tmf = javax.net.ssl.TrustManagerFactory.getInstance(
                    javax.net.ssl.TrustManagerFactory.getDefaultAlgorithm());
            tmf.init(trusted);
            javax.net.ssl.SSLContext ctx = javax.net.ssl.SSLContext.getInstance("TLS");
            ctx.init(null, tmf.getTrustManagers(), null);
            return ctx;
        } catch (GeneralSecurityException | IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": not a PEM certificate (" + e.getMessage() + ")");
        }
    }

    private static PrivateKey privateKey(Path file, String pem) {
        Matcher m = PEM.matcher(pem);
        while (m.find()) {
            String type = m.group(1);
            if (type.equals("PRIVATE KEY")) {
                byte[] der = Base64.getMimeDecoder().decode(m.group(2).trim());
                for (String algorithm : new String[] {"RSA", "EC", "Ed25519", "Ed448"}) {
                    try {
                        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
                    } catch (GeneralSecurityException notThisOne) {
                        // try the next algorithm: PKCS#8 names it inside, but KeyFactory wants it up front
                    }
                }
                throw new IllegalArgumentException("--tls-key " + file + ": a PKCS#8 key of an algorithm this JVM "
                        + "cannot read (RSA, EC, Ed25519 and Ed448 are)");
            }
            if (type.endsWith("PRIVATE KEY")) {
                throw new IllegalArgumentException("--tls-key " + file + ": a '" + type + "' (encrypted or "
                        + "algorithm-specific) key; give an unencrypted PKCS#8 one: openssl pkcs8 -topk8 -nocrypt -in "
                        + file + " -out key.pem");
            }
        }
        throw new IllegalArgumentException("--tls-key " + file + ": no '-----BEGIN PRIVATE KEY-----' block in it");
    }

    private static byte[] read(Path file, String option) {
        try {
            return Files.readAllBytes(file);
        } catch (IOException e) {
            throw new IllegalArgumentException(option + " " + file + ": cannot read it (" + e.getMessage() + ")");
        }
    }
}
