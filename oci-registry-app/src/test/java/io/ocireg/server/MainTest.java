package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MainTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();

  private Main main(Map<String, String> env) {
    return new Main(
        env,
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private String err() {
    return err.toString(StandardCharsets.UTF_8);
  }

  private String out() {
    return out.toString(StandardCharsets.UTF_8);
  }

  @Test
  void badFlagExitsWithOneLineOnStderr() {
    assertThatThrownBy(() -> main(Map.of()).launch("--frobnicate"))
        .isInstanceOfSatisfying(Main.Exit.class, e -> assertThat(e.code).isEqualTo(1));
    assertThat(err())
        .isEqualTo("ocireg: unknown option --frobnicate (see --help)" + System.lineSeparator());
  }

  @Test
  void busyPortExitsWithOneLineOnStderr() throws Exception {
    try (ServerSocket busy = new ServerSocket(0, 50, InetAddress.getLoopbackAddress())) {
      int port = busy.getLocalPort();
      assertThatThrownBy(
              () ->
                  main(Map.of())
                      .launch("--bind", "127.0.0.1", "--port", "" + port, "--storage", "memory"))
          .isInstanceOfSatisfying(Main.Exit.class, e -> assertThat(e.code).isEqualTo(1));
    }
    assertThat(err().lines()).hasSize(1);
    assertThat(err()).startsWith("ocireg: cannot listen on 127.0.0.1:");
  }

  @Test
  void unusableStorageDirectoryExitsWithOneLineOnStderr(@TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("not-a-dir"), "x");
    assertThatThrownBy(() -> main(Map.of("OCIREG_STORAGE", file.toString())).launch("--port", "0"))
        .isInstanceOfSatisfying(Main.Exit.class, e -> assertThat(e.code).isEqualTo(1));
    assertThat(err().lines()).hasSize(1);
    assertThat(err()).contains("storage directory " + file + " is not usable");
  }

  @Test
  void printsTheEffectiveConfigurationAndTheRealPort(@TempDir Path dir) throws Exception {
    Optional<OciRegistryServer> started =
        main(Map.of("OCIREG_BIND", "127.0.0.1")).launch("--port", "0", "--storage", dir.toString());
    try (OciRegistryServer server = started.orElseThrow()) {
      assertThat(out())
          .contains("configuration: bind=127.0.0.1 port=0 storage=" + dir)
          .contains("ocireg listening on http://127.0.0.1:" + server.port() + "/");
      assertThat(err()).isEmpty();
    }
  }

  @Test
  void printsAnHttpsAddressWhenServingTls(@TempDir Path dir) throws Exception {
    SelfSignedCertificate tls = SelfSignedCertificate.create();
    Path cert =
        Files.writeString(
            dir.resolve("cert.pem"), pem("CERTIFICATE", tls.certificate().getEncoded()));
    Path key =
        Files.writeString(
            dir.resolve("key.pem"), pem("PRIVATE KEY", tls.keys().getPrivate().getEncoded()));
    Optional<OciRegistryServer> started =
        main(Map.of())
            .launch(
                "--bind",
                "127.0.0.1",
                "--port",
                "0",
                "--storage",
                dir.resolve("data").toString(),
                "--tls-cert",
                cert.toString(),
                "--tls-key",
                key.toString());
    try (OciRegistryServer server = started.orElseThrow()) {
      // Scripts and tests take the address from this line: with TLS it must say https.
      assertThat(out()).contains("ocireg listening on https://127.0.0.1:" + server.port() + "/");
    }
  }

  private static String pem(String type, byte[] der) {
    return "-----BEGIN "
        + type
        + "-----\n"
        + java.util.Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(der)
        + "\n-----END "
        + type
        + "-----\n";
  }

  @Test
  void helpAndVersionPrintAndStartNothing() throws Exception {
    assertThat(main(Map.of()).launch("--help")).isEmpty();
    assertThat(out()).contains("Usage: java -jar oci-registry.jar");
    assertThat(main(Map.of()).launch("--version")).isEmpty();
    assertThat(out()).contains("ocireg " + Main.version());
    assertThat(Main.version()).isNotEqualTo("unknown");
  }
}
