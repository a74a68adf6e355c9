package io.ocireg.junit5;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.junit.jupiter.api.extension.ExtendWith;

/**
 * Runs each test of the annotated class (or the annotated test) against a fresh in-process OCI
 * registry on a free loopback port. Declare a parameter of type {@link OciRegistry} in a test,
 * {@code @BeforeEach} or {@code @AfterEach} method to reach it. With {@link #perClass()} one
 * registry serves the whole class and may also be injected into {@code @BeforeAll}.
 *
 * <pre>{@code
 * @OciRegistryTest(users = "alice:secret", referrers = false)
 * class PushTest {
 *   @Test
 *   void pushes(OciRegistry registry) { ... registry.hostPort() ... }
 * }
 * }</pre>
 *
 * <p>For settings an annotation cannot carry (a storage object, faults before start) register an
 * {@link OciRegistryExtension} built by {@link OciRegistryExtension#builder()} instead.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
@Target({ElementType.TYPE, ElementType.METHOD, ElementType.ANNOTATION_TYPE})
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ExtendWith(OciRegistryExtension.class)
public @interface OciRegistryTest {
  /** One registry for the whole class instead of one per test. */
  boolean perClass() default false;

  /** Where content lives; in memory by default. */
  StorageKind storage() default StorageKind.MEMORY;

  /** The directory for {@link StorageKind#DIRECTORY}, relative to the working directory. */
  String directory() default "";

  /** Users accepted with HTTP Basic authentication, as {@code user:password}; none by default. */
  String[] users() default {};

  /**
   * Images to import before the registry listens, each {@code <layout dir>=<repository>:<tag>},
   * such as {@code src/test/resources/hello=library/hello:1.0}.
   */
  String[] preload() default {};

  /** Whether the referrers API is served (off: 404, clients fall back to the tag schema). */
  boolean referrers() default true;

  /** Whether {@code POST ?mount=} without {@code from} mounts a blob held anywhere. */
  boolean mountWithoutFrom() default true;

  /** Whether {@code POST ?digest=} stores a blob in one request (off: 202, a session). */
  boolean singlePostUpload() default true;

  /** Whether Docker schema 2 manifests and manifest lists are accepted. */
  boolean dockerMediaTypes() default true;

  /** Whether a tag, once pushed, can never point at another manifest. */
  boolean immutableTags() default false;

  /** Whether manifests and blobs may be deleted (off: 405). */
  boolean deletes() default true;
}
