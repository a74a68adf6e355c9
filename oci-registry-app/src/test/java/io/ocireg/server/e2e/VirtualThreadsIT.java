package io.ocireg.server.e2e;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same jar serves requests on virtual threads on JDK 21 and newer (the build targets 17, which
 * gets a bounded platform pool). Runs the jar on a newer JDK found under {@code /usr/lib/jvm} or
 * given as {@code -Docireg.test.java21=/path/to/java}.
 */
class VirtualThreadsIT {
  @TempDir Path storage;

  @Test
  void servesOnVirtualThreadsOnANewerJdk() throws Exception {
    Optional<Path> java = newerJava();
    if (java.isEmpty()) {
      if (Tools.underCi()) {
        fail("no JDK 21+ found under /usr/lib/jvm; CI machines have Temurin 25 there");
      }
      assumeTrue(false, "no JDK 21+ on this machine");
    }
    try (RegistryProcess registry =
        RegistryProcess.startWith(java.get(), storage, List.of(), List.of())) {
      assertThat(registry.output()).anyMatch(l -> l.contains("(virtual threads)"));
      HttpResponse<String> r =
          HttpClient.newHttpClient()
              .send(
                  HttpRequest.newBuilder(URI.create(registry.baseUri() + "v2/")).build(),
                  HttpResponse.BodyHandlers.ofString());
      assertThat(r.statusCode()).isEqualTo(200);
      assertThat(r.body()).isEqualTo("{}");
    }
  }

  private static Optional<Path> newerJava() throws IOException {
    String given = System.getProperty("ocireg.test.java21");
    if (given != null) {
      return Optional.of(Path.of(given));
    }
    Path jvms = Path.of("/usr/lib/jvm");
    if (!Files.isDirectory(jvms)) {
      return Optional.empty();
    }
    try (Stream<Path> dirs = Files.list(jvms)) {
      return dirs.filter(d -> featureVersion(d.getFileName().toString()) >= 21)
          .sorted(Comparator.comparing(Path::toString))
          .map(d -> d.resolve("bin").resolve("java"))
          .filter(Files::isExecutable)
          .findFirst();
    }
  }

  /** The major version in a JDK directory name such as {@code temurin-25-jdk-amd64}. */
  private static int featureVersion(String name) {
    for (String part : name.split("[-_.]")) {
      if (part.matches("\\d{2}")) {
        return Integer.parseInt(part);
      }
    }
    return 0;
  }
}
