package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import land.oras.ContainerRef;
import land.oras.Registry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;

/**
 * Token mode: Jib fetches bearer tokens from {@code /token} with the user's credentials; ORAS sends
 * Basic credentials up front, which token mode accepts on the registry endpoints too.
 */
class TokenAuthTest {
  @RegisterExtension
  OciRegistryExtension extension =
      OciRegistryExtension.builder().user("alice", "s3cret").tokenAuthentication(true).build();

  @Test
  void jibPushesWithATokenFetchedWithTheCredentials(OciRegistry registry, @TempDir Path work)
      throws Exception {
    Clients.jibPush(registry, "private/app:1", work, "token layer");

    assertThat(registry.tags("private/app")).containsExactly("1");
    // Jib answers a Bearer challenge only with a token from the realm: the push went through
    // /token.
    assertThat(registry.journal().requests(r -> r.status() == 401))
        .isNotEmpty()
        .allSatisfy(
            r ->
                assertThat(r.responseHeader("WWW-Authenticate").orElseThrow())
                    .startsWith("Bearer realm=\"" + registry.baseUri() + "token\""));
  }

  @Test
  void jibWithoutCredentialsIsUnauthorized(OciRegistry registry, @TempDir Path work) {
    assertThatThrownBy(
            () ->
                Clients.fromScratch(Clients.file(work.resolve("s"), "a.txt", "a"), ImageFormat.OCI)
                    .containerize(
                        Clients.jibTo(
                            registry.imageReference("private/app:1"), Optional.empty(), work)))
        .hasStackTraceContaining("Unauthorized");
    assertThat(registry.tags("private/app")).isEmpty();
  }

  @Test
  void orasPushesAndPullsWithCredentialsInTokenMode(OciRegistry registry, @TempDir Path work)
      throws Exception {
    ContainerRef ref = ContainerRef.parse(registry.imageReference("private/card:1"));
    OrasTest.pushCard(registry, ref, work);
    assertThat(registry.manifest("private/card", "1")).isPresent();

    Path out = Files.createDirectories(work.resolve("out"));
    Clients.oras(registry).pullArtifact(ref, out, true);
    assertThat(Files.readString(out.resolve("agent-card.json"))).isEqualTo(OrasTest.CARD);

    Path anonymousOut = Files.createDirectories(work.resolve("anonymous"));
    assertThatThrownBy(
            () ->
                Registry.builder()
                    .defaults()
                    .withInsecure(true)
                    .build()
                    .pullArtifact(ref, anonymousOut, true))
        .hasStackTraceContaining("401");
    assertThat(anonymousOut).isEmptyDirectory();
  }
}
