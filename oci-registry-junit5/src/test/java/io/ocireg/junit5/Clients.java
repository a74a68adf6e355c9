package io.ocireg.junit5;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.JibContainer;
import com.google.cloud.tools.jib.api.JibContainerBuilder;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import com.google.cloud.tools.jib.api.buildplan.ImageFormat;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import land.oras.Registry;

/** Real registry clients pointed at a test registry: Jib core and the ORAS Java SDK. */
final class Clients {
  private Clients() {}

  /** A file with {@code content} in a fresh directory under {@code dir}. */
  static Path file(Path dir, String name, String content) throws IOException {
    Path file = dir.resolve(name);
    Files.createDirectories(file.getParent());
    Files.writeString(file, content, StandardCharsets.UTF_8);
    return file;
  }

  /** A Jib build from scratch with one file layer holding {@code file} under {@code /app}. */
  static JibContainerBuilder fromScratch(Path file, ImageFormat format) throws IOException {
    return Jib.fromScratch()
        .setFormat(format)
        .addLayer(List.of(file), AbsoluteUnixPath.get("/app"));
  }

  /** Jib's containerizer to {@code reference}, with its caches under {@code work}. */
  static Containerizer jibTo(String reference, Optional<Credentials> credentials, Path work)
      throws Exception {
    RegistryImage target = RegistryImage.named(reference);
    credentials.ifPresent(c -> target.addCredential(c.username(), c.password()));
    return Containerizer.to(target)
        .setAllowInsecureRegistries(true)
        .setBaseImageLayersCache(work.resolve("jib-base-cache"))
        .setApplicationLayersCache(work.resolve("jib-app-cache"));
  }

  /** Builds from scratch with one file and pushes it as {@code reference}, OCI media types. */
  static JibContainer jibPush(OciRegistry registry, String repoAndTag, Path work, String content)
      throws Exception {
    Path file = file(work.resolve("src-" + Math.abs(content.hashCode())), "hello.txt", content);
    return fromScratch(file, ImageFormat.OCI)
        .containerize(jibTo(registry.imageReference(repoAndTag), registry.credentials(), work));
  }

  /** An ORAS client for the registry, logged in when it has users. */
  static Registry oras(OciRegistry registry) {
    Registry.Builder b = Registry.builder();
    if (registry.credentials().isPresent()) {
      Credentials c = registry.credentials().get();
      b = b.defaults(c.username(), c.password());
    } else {
      b = b.defaults();
    }
    return b.withInsecure(true).build();
  }
}
