package dev.salvo.examples;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A throw-away self-signed certificate for {@code localhost}, made with {@code openssl} at run time (none is
 * ever committed).
 *
 * @param cert the PEM certificate
 * @param key the PEM private key (PKCS#8, unencrypted)
 */
public record SelfSignedCertificate(Path cert, Path key) {
    /**
     * Generates a certificate and key in {@code dir}.
     *
     * @param dir an existing directory
     * @return the two files
     * @throws IOException if openssl is missing or fails
     */
    public static SelfSignedCertificate generate(Path dir) throws IOException {
        Path cert = dir.resolve("cert.pem");
        Path key = dir.resolve("key.pem");
        List<String> cmd = List.of("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-sha256",
                "-days", "2", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1,IP:::1",
                "-keyout", key.toString(), "-out", cert.toString());
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        try {
            String output = new String(p.getInputStream().readAllBytes());
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException("openssl could not make a certificate: " + output);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted while generating a certificate", e);
        }
        return new SelfSignedCertificate(cert, key);
    }

    /**
     * Generates one in a fresh temporary directory.
     *
     * @return the two files
     * @throws IOException if openssl is missing or fails
     */
    public static SelfSignedCertificate generateTemporary() throws IOException {
        Path dir = Files.createTempDirectory("salvo-cert");
        dir.toFile().deleteOnExit();
        SelfSignedCertificate made = generate(dir);
        made.cert().toFile().deleteOnExit();
        made.key().toFile().deleteOnExit();
        return made;
    }
}
