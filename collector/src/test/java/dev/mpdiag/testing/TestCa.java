package dev.mpdiag.testing;

import dev.mpdiag.server.ServerTls;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;

/**
 * A certificate authority a test makes for itself with the JDK's keytool (no openssl needed), and a server
 * certificate it signs for 127.0.0.1, written as the PEM files serve --tls-cert/--tls-key and tls.ca= take.
 */
public final class TestCa {
    /** The password of the PKCS#12 key stores (a test's throwaway keys). */
    public static final String PASS = "changeit";
    public final Path caPem;
    public final Path certPem;
    public final Path keyPem;
    /** The server key with its signed chain as PKCS#12, for servers that take no PEM keys (a Kafka broker). */
    public final Path serverP12;

    private TestCa(Path caPem, Path certPem, Path keyPem, Path serverP12) {
        this.caPem = caPem;
        this.certPem = certPem;
        this.keyPem = keyPem;
        this.serverP12 = serverP12;
    }

    /** A CA named name in dir and a server certificate from it for IP 127.0.0.1 (valid two days). */
    public static TestCa make(Path dir, String name) throws Exception {
        Files.createDirectories(dir);
        Path ca = dir.resolve(name + "-ca.p12");
        Path server = dir.resolve(name + "-server.p12");
        keytool("-genkeypair", "-alias", "ca", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=" + name + " test CA",
                "-ext", "bc:c", "-validity", "2", "-keystore", ca.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        Path caPem = dir.resolve(name + "-ca.pem");
        keytool("-exportcert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASS, "-file",
                caPem.toString());
        keytool("-genkeypair", "-alias", "server", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
                "-validity", "2", "-keystore", server.toString(), "-storetype", "PKCS12", "-storepass", PASS);
        Path csr = dir.resolve(name + "-server.csr");
        keytool("-certreq", "-alias", "server", "-keystore", server.toString(), "-storepass", PASS, "-file", csr.toString());
        Path crt = dir.resolve(name + "-server.crt");
        keytool("-gencert", "-rfc", "-alias", "ca", "-keystore", ca.toString(), "-storepass", PASS, "-infile",
                csr.toString(), "-outfile", crt.toString(), "-ext", "san=ip:127.0.0.1", "-validity", "2");
        keytool("-importcert", "-noprompt", "-alias", "ca", "-file", caPem.toString(), "-keystore", server.toString(),
                "-storepass", PASS);
        keytool("-importcert", "-alias", "server", "-file", crt.toString(), "-keystore", server.toString(),
                "-storepass", PASS);
        Path certPem = dir.resolve(name + "-cert.pem");
        Files.writeString(certPem, Files.readString(crt) + Files.readString(caPem)); // the chain, server first
        KeyStore ks = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(server)) {
            ks.load(in, PASS.toCharArray());
        }
        PrivateKey key = (PrivateKey) ks.getKey("server", PASS.toCharArray());
        Path keyPem = dir.resolve(name + "-key.pem");
        Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.getEncoded()) + "\n-----END PRIVATE KEY-----\n");
        return new TestCa(caPem, certPem, keyPem, server);
    }

    /** A client context trusting only this CA. */
    public SSLContext trust() {
        return ServerTls.trusting(caPem, "ca");
    }

    private static void keytool(String... args) throws IOException, InterruptedException {
        List<String> cmd = new ArrayList<>();
        cmd.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes());
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IllegalStateException("keytool " + String.join(" ", args) + " failed: " + out);
        }
    }
}
