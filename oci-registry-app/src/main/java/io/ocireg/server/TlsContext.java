package io.ocireg.server;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.cert.Certificate;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.asn1.pkcs.PrivateKeyInfo;
import org.bouncycastle.cert.X509CertificateHolder;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.openssl.PEMKeyPair;
import org.bouncycastle.openssl.PEMParser;
import org.bouncycastle.openssl.jcajce.JcaPEMKeyConverter;
import org.eclipse.jetty.util.ssl.SslContextFactory;

/** The TLS context of a server from a PEM certificate and key, or from a PKCS12 keystore. */
final class TlsContext {
  private TlsContext() {}

  /** A Jetty server TLS context; {@link IllegalArgumentException} with a one-line reason. */
  static SslContextFactory.Server create(SecurityOptions.TlsOptions tls) {
    tls.problem()
        .ifPresent(
            p -> {
              throw new IllegalArgumentException(p);
            });
    SslContextFactory.Server ssl = new SslContextFactory.Server();
    try {
      if (tls.keystore().isPresent()) {
        KeyStore ks = KeyStore.getInstance("PKCS12");
        char[] password = tls.keystorePassword().orElse("").toCharArray();
        try (InputStream in = Files.newInputStream(tls.keystore().get())) {
          ks.load(in, password);
        }
        ssl.setKeyStore(ks);
        ssl.setKeyStorePassword(new String(password));
      } else {
        List<Certificate> chain = readCertificates(tls.certificate().get());
        PrivateKey key = readKey(tls.privateKey().get());
        byte[] random = new byte[18];
        new SecureRandom().nextBytes(random);
        String password = Base64.getEncoder().encodeToString(random);
        KeyStore ks = KeyStore.getInstance("PKCS12");
        ks.load(null, null);
        ks.setKeyEntry("server", key, password.toCharArray(), chain.toArray(new Certificate[0]));
        ssl.setKeyStore(ks);
        ssl.setKeyStorePassword(password);
      }
    } catch (IOException | GeneralSecurityException e) {
      throw new IllegalArgumentException("cannot use the TLS key material: " + e.getMessage(), e);
    }
    // HTTP/2 requires TLS 1.2+ with a cipher suite from its allow list; Jetty's defaults comply.
    return ssl;
  }

  private static List<Certificate> readCertificates(Path file) throws IOException {
    List<Certificate> chain = new ArrayList<>();
    JcaX509CertificateConverter converter = new JcaX509CertificateConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(r)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof X509CertificateHolder h) {
          try {
            X509Certificate c = converter.getCertificate(h);
            chain.add(c);
          } catch (java.security.cert.CertificateException e) {
            throw new IllegalArgumentException(
                "bad certificate in " + file + ": " + e.getMessage());
          }
        }
      }
    }
    if (chain.isEmpty()) {
      throw new IllegalArgumentException("no PEM certificate in " + file);
    }
    return chain;
  }

  static PrivateKey readKey(Path file) throws IOException {
    JcaPEMKeyConverter converter = new JcaPEMKeyConverter();
    try (Reader r = Files.newBufferedReader(file, StandardCharsets.US_ASCII);
        PEMParser pem = new PEMParser(r)) {
      for (Object o = pem.readObject(); o != null; o = pem.readObject()) {
        if (o instanceof PEMKeyPair pair) {
          // SEC1 keys may omit the public key, which a server does not need.
          return converter.getPrivateKey(pair.getPrivateKeyInfo());
        }
        if (o instanceof PrivateKeyInfo info) {
          return converter.getPrivateKey(info);
        }
      }
    }
    throw new IllegalArgumentException("no unencrypted PEM private key in " + file);
  }
}
