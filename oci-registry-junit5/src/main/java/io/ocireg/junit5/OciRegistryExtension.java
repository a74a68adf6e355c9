package io.ocireg.junit5;

import io.ocireg.core.RegistryOptions;
import io.ocireg.server.OciRegistryServer;
import io.ocireg.server.SecurityOptions;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.AnnotatedElement;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolutionException;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * The JUnit Jupiter extension behind {@link OciRegistryTest}, and its programmatic form:
 *
 * <pre>{@code
 * @RegisterExtension
 * static OciRegistryExtension registry = OciRegistryExtension.builder().user("u", "p").build();
 * }</pre>
 *
 * A {@code static} field gives one registry for the class, an instance field one per test. The
 * running registry is {@link #registry()}, and any {@link OciRegistry} parameter resolves to it.
 *
 * <p>Only {@code junit-jupiter-api} is used, through interfaces that are stable since JUnit 5.0 and
 * unchanged in JUnit 6.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class OciRegistryExtension
    implements BeforeAllCallback,
        AfterAllCallback,
        BeforeEachCallback,
        AfterEachCallback,
        ParameterResolver {

  /** A registration through the annotation reads its settings when a test starts. */
  private final Optional<Builder> programmatic;

  private OciRegistryServer server;
  private OciRegistry registry;
  private Path temporaryDirectory;
  private boolean startedForClass;

  /** The class context that started the registry; nested classes reuse it, never restart it. */
  private String classContextId;

  private boolean startedForTest;

  /** The extension as {@code @ExtendWith} and {@link OciRegistryTest} create it. */
  public OciRegistryExtension() {
    this.programmatic = Optional.empty();
  }

  private OciRegistryExtension(Builder builder) {
    this.programmatic = Optional.of(builder);
  }

  /** A builder for a {@code @RegisterExtension} field. */
  public static Builder builder() {
    return new Builder();
  }

  /** The running registry; fails outside a test or lifecycle method it serves. */
  public OciRegistry registry() {
    if (registry == null) {
      throw new IllegalStateException("the registry is not running");
    }
    return registry;
  }

  @Override
  public void beforeAll(ExtensionContext context) {
    // Reached for annotations on the class and for static fields: per class unless told otherwise.
    if (startedForClass) {
      return;
    }
    Builder settings = settings(context);
    if (programmatic.isPresent() || settings.perClass) {
      start(settings);
      startedForClass = true;
      classContextId = context.getUniqueId();
    }
  }

  @Override
  public void beforeEach(ExtensionContext context) {
    if (startedForClass) {
      return;
    }
    start(settings(context));
    startedForTest = true;
  }

  @Override
  public void afterEach(ExtensionContext context) {
    if (startedForTest) {
      startedForTest = false;
      stop();
    }
  }

  @Override
  public void afterAll(ExtensionContext context) {
    if (startedForClass && context.getUniqueId().equals(classContextId)) {
      startedForClass = false;
      stop();
    }
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == OciRegistry.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    if (registry == null) {
      throw new ParameterResolutionException(
          "no registry is running here; use @OciRegistryTest(perClass = true) or a static"
              + " @RegisterExtension field to reach it from @BeforeAll");
    }
    return registry;
  }

  private Builder settings(ExtensionContext context) {
    if (programmatic.isPresent()) {
      return programmatic.get();
    }
    Optional<OciRegistryTest> annotation =
        context
            .getTestMethod()
            .flatMap(m -> find(m))
            .or(() -> context.getTestClass().flatMap(c -> find(c)));
    return annotation.map(Builder::from).orElseGet(Builder::new);
  }

  private static Optional<OciRegistryTest> find(AnnotatedElement element) {
    OciRegistryTest direct = element.getAnnotation(OciRegistryTest.class);
    if (direct != null) {
      return Optional.of(direct);
    }
    if (element instanceof Class<?> c && c.getEnclosingClass() != null) {
      // @Nested classes inherit the settings of the class they are nested in.
      return find(c.getEnclosingClass());
    }
    return Optional.empty();
  }

  private void start(Builder settings) {
    OciRegistryServer.Builder b = OciRegistryServer.builder();
    switch (settings.storage) {
      case MEMORY -> b.inMemoryStorage();
      case TEMPORARY_DIRECTORY -> {
        try {
          temporaryDirectory = Files.createTempDirectory("ocireg-test-");
        } catch (IOException e) {
          throw new UncheckedIOException(e);
        }
        b.storage(temporaryDirectory);
      }
      case DIRECTORY -> b.storage(settings.directory);
    }
    settings.users.forEach(b::user);
    if (settings.tokenAuthentication) {
      b.security(
          SecurityOptions.defaults()
              .withToken(SecurityOptions.TokenOptions.defaults().withEnabled(true)));
    }
    for (Builder.Preload p : settings.preloads) {
      b.preload(p.layout(), p.repository(), p.tag());
    }
    b.registryOptions(settings.options);
    server = b.build();
    server.start();
    registry = new OciRegistry(server);
  }

  private void stop() {
    try {
      if (server != null) {
        server.close();
      }
    } finally {
      server = null;
      registry = null;
      if (temporaryDirectory != null) {
        deleteTree(temporaryDirectory);
        temporaryDirectory = null;
      }
    }
  }

  private static void deleteTree(Path root) {
    try {
      Files.walkFileTree(
          root,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
              Files.delete(dir);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("cannot delete the registry's temporary directory", e);
    }
  }

  /** Settings of a test registry; {@link #build()} makes the extension. */
  public static final class Builder {
    private record Preload(Path layout, String repository, String tag) {}

    private boolean perClass;
    private StorageKind storage = StorageKind.MEMORY;
    private Path directory;
    private final Map<String, String> users = new LinkedHashMap<>();
    private boolean tokenAuthentication;
    private final List<Preload> preloads = new ArrayList<>();
    private RegistryOptions options = RegistryOptions.defaults();

    private Builder() {}

    static Builder from(OciRegistryTest a) {
      Builder b = new Builder();
      b.perClass = a.perClass();
      b.storage = a.storage();
      if (a.storage() == StorageKind.DIRECTORY) {
        if (a.directory().isEmpty()) {
          throw new IllegalArgumentException("storage = DIRECTORY needs a directory");
        }
        b.directory = Paths.get(a.directory());
      }
      for (String u : a.users()) {
        Credentials c = Credentials.parse(u);
        b.user(c.username(), c.password());
      }
      for (String p : a.preload()) {
        int eq = p.lastIndexOf('=');
        int colon = p.lastIndexOf(':');
        if (eq <= 0 || colon < eq) {
          throw new IllegalArgumentException("expected <layout dir>=<repository>:<tag>: " + p);
        }
        b.preload(
            Paths.get(p.substring(0, eq)), p.substring(eq + 1, colon), p.substring(colon + 1));
      }
      b.options =
          b.options
              .withReferrersEnabled(a.referrers())
              .withMountWithoutFrom(a.mountWithoutFrom())
              .withSinglePostUpload(a.singlePostUpload())
              .withAcceptDockerMediaTypes(a.dockerMediaTypes())
              .withImmutableTags(a.immutableTags())
              .withDeletesEnabled(a.deletes());
      return b;
    }

    /** Keeps content in memory (the default). */
    public Builder inMemory() {
      storage = StorageKind.MEMORY;
      directory = null;
      return this;
    }

    /** Keeps content in a fresh temporary directory, deleted when the registry stops. */
    public Builder temporaryDirectory() {
      storage = StorageKind.TEMPORARY_DIRECTORY;
      directory = null;
      return this;
    }

    /**
     * Keeps content in {@code directory}, created when missing and never deleted: every registry
     * started on it (the next test, the next run) finds what earlier ones stored.
     */
    public Builder directory(Path directory) {
      storage = StorageKind.DIRECTORY;
      this.directory = Objects.requireNonNull(directory, "directory");
      return this;
    }

    /** Requires HTTP Basic authentication, accepting {@code user}; call once per user. */
    public Builder user(String user, String password) {
      users.put(Objects.requireNonNull(user, "user"), Objects.requireNonNull(password, "password"));
      return this;
    }

    /**
     * Requires bearer tokens instead of Basic authentication: clients fetch them from {@code
     * /token} with the credentials of a {@link #user}, as in the Docker registry token flow.
     */
    public Builder tokenAuthentication(boolean on) {
      tokenAuthentication = on;
      return this;
    }

    /** Imports the image of an OCI image layout as {@code repository:tag} before listening. */
    public Builder preload(Path layout, String repository, String tag) {
      preloads.add(new Preload(layout, repository, tag));
      return this;
    }

    /** Sets the engine's switches and limits at once. */
    public Builder options(RegistryOptions options) {
      this.options = Objects.requireNonNull(options, "options");
      return this;
    }

    /** Changes the engine's switches, e.g. {@code o -> o.withReferrersEnabled(false)}. */
    public Builder options(UnaryOperator<RegistryOptions> change) {
      this.options = Objects.requireNonNull(change.apply(options), "options");
      return this;
    }

    /** Serves the referrers API, or answers 404 so that clients use the tag schema. */
    public Builder referrers(boolean on) {
      return options(o -> o.withReferrersEnabled(on));
    }

    /** Mounts without {@code from}, or opens an ordinary session for them. */
    public Builder mountWithoutFrom(boolean on) {
      return options(o -> o.withMountWithoutFrom(on));
    }

    /** Stores single-request blob pushes, or answers them with a session (202). */
    public Builder singlePostUpload(boolean on) {
      return options(o -> o.withSinglePostUpload(on));
    }

    /** Accepts Docker schema 2 manifests and manifest lists, or refuses them. */
    public Builder dockerMediaTypes(boolean on) {
      return options(o -> o.withAcceptDockerMediaTypes(on));
    }

    /** Keeps every tag on its first digest. */
    public Builder immutableTags(boolean on) {
      return options(o -> o.withImmutableTags(on));
    }

    /** Allows deleting manifests and blobs, or answers 405. */
    public Builder deletes(boolean on) {
      return options(o -> o.withDeletesEnabled(on));
    }

    /** The extension, to assign to a {@code @RegisterExtension} field. */
    public OciRegistryExtension build() {
      return new OciRegistryExtension(this);
    }
  }
}
