package io.ocireg.junit5;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Which registry a test gets: per class for static fields, per test for instance fields. */
class LifecycleTest {

  @Nested
  @TestMethodOrder(MethodOrderer.OrderAnnotation.class)
  class StaticField {
    // A static field in a @Nested class needs Java 16+; the project targets 17.
    @RegisterExtension static OciRegistryExtension shared = OciRegistryExtension.builder().build();

    static OciRegistry seenInBeforeAll;

    @BeforeAll
    static void reachableBeforeAll(OciRegistry registry) {
      seenInBeforeAll = registry;
    }

    @Test
    @Order(1)
    void firstTestStoresContent(OciRegistry registry) {
      assertThat(registry).isSameAs(seenInBeforeAll).isSameAs(shared.registry());
      Preloads.pushSmallImage(registry, "shared/app", "1");
    }

    @Test
    @Order(2)
    void secondTestSeesTheSameRegistry(OciRegistry registry) {
      assertThat(registry).isSameAs(seenInBeforeAll);
      assertThat(registry.tags("shared/app")).containsExactly("1");
    }
  }

  @Nested
  class InstanceField {
    static final Set<Integer> ports = new HashSet<>();

    @RegisterExtension OciRegistryExtension own = OciRegistryExtension.builder().build();

    @BeforeEach
    void started(OciRegistry registry) {
      assertThat(registry).isSameAs(own.registry());
      assertThat(registry.repositories()).isEmpty();
      Preloads.pushSmallImage(registry, "own/app", "1");
      ports.add(registry.server().port());
    }

    @Test
    void oneTest(OciRegistry registry) {
      assertThat(registry.tags("own/app")).containsExactly("1");
    }

    @Test
    void anotherTest(OciRegistry registry) {
      assertThat(registry.tags("own/app")).containsExactly("1");
    }

    @AfterAll
    static void eachTestHadItsOwnServer() {
      assertThat(ports).hasSize(2);
    }
  }

  @Nested
  @OciRegistryTest(perClass = true)
  class AnnotationPerClass {
    static OciRegistry first;

    @BeforeAll
    static void before(OciRegistry registry) {
      first = registry;
    }

    @Test
    void sharesTheClassRegistry(OciRegistry registry) {
      assertThat(registry).isSameAs(first);
      assertThat(registry.server().isStarted()).isTrue();
    }
  }

  @Nested
  @OciRegistryTest
  class AnnotationPerTest {
    static final Set<OciRegistry> seen = new HashSet<>();

    @Test
    void one(OciRegistry registry) {
      seen.add(registry);
      assertThat(registry.repositories()).isEmpty();
      Preloads.pushSmallImage(registry, "a/b", "1");
    }

    @Test
    void two(OciRegistry registry) {
      seen.add(registry);
      assertThat(registry.repositories()).isEmpty();
      Preloads.pushSmallImage(registry, "a/b", "1");
    }

    @AfterAll
    static void eachTestHadItsOwnRegistryAndAllAreClosed() {
      assertThat(seen).hasSize(2).noneMatch(r -> r.server().isStarted());
    }
  }
}
