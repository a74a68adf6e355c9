package io.ocireg.examples.jib;

import com.google.cloud.tools.jib.api.CacheDirectoryCreationException;
import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.InvalidImageReferenceException;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryException;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.FileEntriesLayer;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.stream.Stream;

/**
 * A build step: packages a static web site as an OCI image built from scratch with Jib core, and
 * pushes it to a registry. The files land under {@code /site}; {@code assets/} gets a layer of its
 * own, so that editing a page re-uploads the small pages layer only.
 *
 * @see <a href="https://github.com/opencontainers/image-spec/blob/v1.1.0/manifest.md">image-spec:
 *     manifest</a>
 */
public final class SiteImageBuild {
  /** Where the site's files are in the image. */
  public static final AbsoluteUnixPath SITE_ROOT = AbsoluteUnixPath.get("/site");

  /** The label that names what the image holds. */
  public static final String TITLE_LABEL = "org.opencontainers.image.title";

  private final Path site;
  private final String image;
  private final List<String> extraTags = new ArrayList<>();
  private String user;
  private String password;
  private boolean allowInsecureRegistry;
  private Path cacheDirectory;

  private SiteImageBuild(Path site, String image) {
    this.site = Objects.requireNonNull(site, "site");
    this.image = Objects.requireNonNull(image, "image");
  }

  /**
   * A build of the site in directory {@code site} into {@code image}, such as {@code
   * host/web/site:1.0}.
   */
  public static SiteImageBuild of(Path site, String image) {
    return new SiteImageBuild(site, image);
  }

  /** Also tags the pushed image {@code tag}, such as {@code latest}. */
  public SiteImageBuild tag(String tag) {
    extraTags.add(tag);
    return this;
  }

  /** Logs in to the registry with HTTP Basic credentials. */
  public SiteImageBuild credentials(String user, String password) {
    this.user = Objects.requireNonNull(user, "user");
    this.password = Objects.requireNonNull(password, "password");
    return this;
  }

  /**
   * Lets Jib talk plain HTTP (or TLS without a verified certificate): for a registry on this
   * machine, such as a test's. With credentials, plain HTTP also needs the system property {@code
   * sendCredentialsOverHttp=true}.
   */
  public SiteImageBuild allowInsecureRegistry() {
    this.allowInsecureRegistry = true;
    return this;
  }

  /**
   * Keeps Jib's layer cache in {@code directory} instead of the user's cache directory, so that a
   * build (or a test) leaves nothing behind elsewhere.
   */
  public SiteImageBuild cacheDirectory(Path directory) {
    this.cacheDirectory = directory;
    return this;
  }

  /** Builds and pushes; returns the digest of the pushed manifest, such as {@code sha256:…}. */
  public String run() throws IOException, InterruptedException {
    try {
      RegistryImage target = RegistryImage.named(image);
      if (user != null) {
        target.addCredential(user, password);
      }
      Containerizer to =
          Containerizer.to(target)
              .setAllowInsecureRegistries(allowInsecureRegistry)
              .setToolName("site-image-build");
      for (String tag : extraTags) {
        to = to.withAdditionalTag(tag);
      }
      if (cacheDirectory != null) {
        to =
            to.setBaseImageLayersCache(cacheDirectory.resolve("base"))
                .setApplicationLayersCache(cacheDirectory.resolve("application"));
      }
      JibContainer pushed = container().containerize(to);
      return pushed.getDigest().toString();
    } catch (InvalidImageReferenceException e) {
      throw new IllegalArgumentException("not an image reference: " + image, e);
    } catch (RegistryException | ExecutionException | CacheDirectoryCreationException e) {
      throw new IOException("pushing " + image + " failed: " + e.getMessage(), e);
    }
  }

  /**
   * The image: no base, OCI media types (Jib's default is Docker's), and Jib's fixed timestamps, so
   * that the same files always give the same digest and a rebuild pushes nothing new.
   */
  private JibContainerBuilder container() throws IOException {
    Path assets = site.resolve("assets");
    String title = String.valueOf(site.toAbsolutePath().normalize().getFileName());
    JibContainerBuilder builder =
        Jib.fromScratch().setFormat(ImageFormat.OCI).addLabel(TITLE_LABEL, title);
    if (Files.isDirectory(assets)) {
      builder.addFileEntriesLayer(
          FileEntriesLayer.builder()
              .setName("assets")
              .addEntryRecursive(assets, SITE_ROOT.resolve("assets"))
              .build());
    }
    FileEntriesLayer.Builder pages = FileEntriesLayer.builder().setName("pages");
    try (Stream<Path> files = Files.walk(site)) {
      // Sorted, so that the layer (and its digest) does not depend on the directory's order.
      for (Path file : files.filter(Files::isRegularFile).sorted().toList()) {
        if (!file.startsWith(assets)) {
          pages.addEntry(
              file, SITE_ROOT.resolve(site.relativize(file).toString().replace('\\', '/')));
        }
      }
    }
    return builder.addFileEntriesLayer(pages.build());
  }

  /**
   * Runs the step. Arguments: {@code [--insecure] <site-directory> <image> [extra-tag...]}; the
   * environment variables {@code REGISTRY_USER} and {@code REGISTRY_PASSWORD}, when set, log in.
   */
  public static void main(String[] args) throws Exception {
    List<String> rest = new ArrayList<>(List.of(args));
    boolean insecure = rest.remove("--insecure");
    if (rest.size() < 2) {
      System.err.println(
          "usage: SiteImageBuild [--insecure] <site-directory> <image> [extra-tag...]");
      System.exit(2);
    }
    SiteImageBuild build = of(Path.of(rest.get(0)), rest.get(1));
    rest.subList(2, rest.size()).forEach(build::tag);
    if (insecure) {
      build.allowInsecureRegistry();
    }
    String user = System.getenv("REGISTRY_USER");
    if (user != null) {
      build.credentials(user, Objects.requireNonNullElse(System.getenv("REGISTRY_PASSWORD"), ""));
    }
    System.out.println("pushed " + rest.get(1) + "@" + build.run());
  }
}
