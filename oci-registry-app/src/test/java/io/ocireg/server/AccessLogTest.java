package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class AccessLogTest {
  @Test
  void keepsTheDistributionParametersAndMasksAnythingElse() {
    assertThat(AccessLog.safeQuery("mount=sha256:ab&from=a/b"))
        .isEqualTo("mount=sha256:ab&from=a/b");
    assertThat(AccessLog.safeQuery("n=10&last=v1&digest=sha256:cd"))
        .isEqualTo("n=10&last=v1&digest=sha256:cd");
    assertThat(AccessLog.safeQuery("token=secret&n=1&password")).isEqualTo("token=***&n=1&***");
  }
}
