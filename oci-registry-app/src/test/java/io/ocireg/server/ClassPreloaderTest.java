package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ClassPreloaderTest {
  @Test
  void everyListedClassOfTheServersOwnDependenciesExists() throws IOException {
    // A stale list (a Jetty upgrade, a renamed class) would silently preload less: regenerate it
    // with oci-registry-junit5/bench/preload-list.sh. JDK names may differ between JDKs.
    List<String> missing = new ArrayList<>();
    List<String> names = names();
    for (String name : names) {
      if (name.startsWith("java.") || name.startsWith("jdk.") || name.startsWith("sun.")) {
        continue;
      }
      try {
        Class.forName(name, false, getClass().getClassLoader());
      } catch (ClassNotFoundException e) {
        missing.add(name);
      }
    }
    assertThat(names).hasSizeGreaterThan(500).doesNotHaveDuplicates();
    assertThat(missing).isEmpty();
  }

  @Test
  void preloadsTheListedClasses() {
    assertThat(ClassPreloader.preload()).isGreaterThan(500);
  }

  @Test
  void loadsAndLinksButNeverRunsAStaticInitializer() {
    // Initializing on the preloading thread could deadlock against the caller's initialization.
    assertThat(ClassPreloader.load(Flagged.class.getName(), getClass().getClassLoader())).isTrue();
    assertThat(flaggedInitialized).isFalse();
    assertThat(ClassPreloader.load("io.ocireg.server.NoSuchClass", getClass().getClassLoader()))
        .isFalse();
  }

  private static volatile boolean flaggedInitialized;

  static final class Flagged {
    static {
      flaggedInitialized = true;
    }

    private Flagged() {}
  }

  private static List<String> names() {
    try (InputStream in = ClassPreloader.class.getResourceAsStream(ClassPreloader.LIST)) {
      assertThat(in).as(ClassPreloader.LIST).isNotNull();
      return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
