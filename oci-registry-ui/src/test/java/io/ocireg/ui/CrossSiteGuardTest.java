package io.ocireg.ui;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** Which {@code Origin} counts as the page's own. */
class CrossSiteGuardTest {
  @Test
  void theOriginOfThisHostAndPortIsOurs() {
    assertThat(CrossSiteGuard.sameHost("http://registry.example:5000", "registry.example:5000"))
        .isTrue();
    assertThat(CrossSiteGuard.sameHost("HTTP://Registry.Example:5000", "registry.example:5000"))
        .isTrue();
    // Behind a TLS-terminating proxy the scheme differs; the host and port do not.
    assertThat(CrossSiteGuard.sameHost("https://registry.example:5000", "registry.example:5000"))
        .isTrue();
  }

  @Test
  void aDefaultPortMayBeWrittenOrNot() {
    assertThat(CrossSiteGuard.sameHost("https://registry.example", "registry.example:443"))
        .isTrue();
    assertThat(CrossSiteGuard.sameHost("http://registry.example:80", "registry.example")).isTrue();
    assertThat(CrossSiteGuard.sameHost("http://registry.example", "registry.example:8080"))
        .isFalse();
  }

  @Test
  void anythingElseIsForeign() {
    assertThat(CrossSiteGuard.sameHost("http://evil.example:5000", "registry.example:5000"))
        .isFalse();
    assertThat(
            CrossSiteGuard.sameHost(
                "http://registry.example:5000.evil.example", "registry.example:5000"))
        .isFalse();
    assertThat(CrossSiteGuard.sameHost("http://registry.example:5001", "registry.example:5000"))
        .isFalse();
    assertThat(CrossSiteGuard.sameHost("null", "registry.example:5000")).isFalse();
    assertThat(CrossSiteGuard.sameHost("http://registry.example:5000/x", "registry.example:5000"))
        .isFalse();
    assertThat(CrossSiteGuard.sameHost("not a uri", "registry.example:5000")).isFalse();
    assertThat(CrossSiteGuard.sameHost("http://registry.example:5000", null)).isFalse();
    assertThat(
            CrossSiteGuard.sameHost("http://user@registry.example:5000", "registry.example:5000"))
        .isFalse();
  }
}
