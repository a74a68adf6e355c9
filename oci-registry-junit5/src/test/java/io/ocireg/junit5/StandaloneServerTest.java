package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import io.ocireg.core.RegistryOptions;
import io.ocireg.server.OciRegistryServer;
import io.ocireg.server.RequestMatcher;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Everything the extension offers, without it: OciRegistryServer in try-with-resources. */
class StandaloneServerTest {
  private static final HttpClient HTTP = HttpClient.newHttpClient();

  private static int get(OciRegistryServer server, String path) throws Exception {
    return HTTP.send(
            HttpRequest.newBuilder(URI.create(server.baseUri() + path.substring(1))).build(),
            HttpResponse.BodyHandlers.discarding())
        .statusCode();
  }

  @Test
  void jibPushesToAServerWithUsersSwitchesJournalAndFaults(@TempDir Path work) throws Exception {
    try (OciRegistryServer server =
        OciRegistryServer.builder()
            .user("ci", "token")
            .registryOptions(RegistryOptions.defaults().withImmutableTags(true))
            .start()) {
      server.faults().on(RequestMatcher.uploadChunk()).nth(2).respond(500, "UNKNOWN");
      Path file = Clients.file(work.resolve("s"), "a.txt", "standalone");
      String ref = server.baseUri().getHost() + ":" + server.port() + "/plain/app:1";
      Containerizer to =
          Containerizer.to(RegistryImage.named(ref).addCredential("ci", "token"))
              .setAllowInsecureRegistries(true)
              .setBaseImageLayersCache(work.resolve("c1"))
              .setApplicationLayersCache(work.resolve("c2"));

      assertThatThrownBy(() -> Clients.fromScratch(file, ImageFormat.OCI).containerize(to))
          .hasStackTraceContaining("500");
      Clients.fromScratch(file, ImageFormat.OCI).containerize(to);

      assertThat(server.journal().manifestPushes()).hasSize(1);
      assertThat(server.journal().requests(r -> r.fault().isPresent())).hasSize(1);
      assertThat(server.registry().options().immutableTags()).isTrue();
    }
  }

  @Test
  void theJournalIsBoundedAndResettable() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().journalCapacity(3).start()) {
      for (int i = 0; i < 5; i++) {
        get(server, "/v2/");
      }
      assertThat(server.journal().requests()).hasSize(3);
      assertThat(server.journal().dropped()).isEqualTo(2);
      server.journal().reset();
      assertThat(server.journal().requests()).isEmpty();
      assertThat(server.journal().dropped()).isZero();

      server.journal().setEnabled(false);
      get(server, "/v2/");
      assertThat(server.journal().requests()).isEmpty();
      server.journal().setEnabled(true);
      get(server, "/v2/");
      assertThat(server.journal().requests()).hasSize(1);
    }
  }

  @Test
  void faultsFireOnTheNthMatchForTimesAndCanBeSwitchedOffOrRemoved() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().start()) {
      var fault = server.faults().on("GET", "/v2/").nth(2).times(2).respond(503, "UNAVAILABLE");
      assertThat(get(server, "/v2/")).isEqualTo(200);
      assertThat(get(server, "/v2/")).isEqualTo(503);
      assertThat(get(server, "/v2/")).isEqualTo(503);
      assertThat(get(server, "/v2/")).isEqualTo(200);
      assertThat(fault.matched()).isEqualTo(4);
      assertThat(fault.fired()).isEqualTo(2);

      var always = server.faults().on(RequestMatcher.any()).always().respond(500, "UNKNOWN");
      server.faults().setEnabled(false);
      assertThat(get(server, "/v2/")).isEqualTo(200);
      server.faults().setEnabled(true);
      assertThat(get(server, "/v2/")).isEqualTo(500);
      always.remove();
      assertThat(get(server, "/v2/")).isEqualTo(200);
      assertThat(server.faults().rules()).containsExactly(fault);
    }
  }

  @Test
  void aDelayedRequestOutlastsAClientTimeout() throws Exception {
    try (OciRegistryServer server = OciRegistryServer.builder().start()) {
      server.faults().on("GET", "/v2/").delay(java.time.Duration.ofSeconds(1));
      HttpRequest request =
          HttpRequest.newBuilder(server.baseUri().resolve("/v2/"))
              .timeout(java.time.Duration.ofMillis(300))
              .build();
      assertThatThrownBy(() -> HTTP.send(request, HttpResponse.BodyHandlers.discarding()))
          .isInstanceOf(java.net.http.HttpTimeoutException.class);
    }
  }
}
