package io.ocireg.servlet;

import io.ocireg.core.PushedManifest;
import io.ocireg.core.Registry;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.ManifestRecord;
import java.io.IOException;

/**
 * {@code GET / HEAD / PUT / DELETE /v2/<name>/manifests/<reference>}: serves the stored bytes as
 * pushed, stores a pushed manifest (the engine caps what it reads), deletes a tag or a manifest.
 *
 * <p>The reference goes to the engine as the path holds it: what an invalid one means (404 on reads
 * and deletes, 400 on {@code PUT}) is a spec rule, and lives there.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pulling-manifests">
 *     distribution-spec: pulling manifests</a>
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#pushing-manifests">
 *     distribution-spec: pushing manifests</a>
 */
final class ManifestsHandler implements Handler {
  private final Registry registry;

  ManifestsHandler(Registry registry) {
    this.registry = registry;
  }

  @Override
  public void handle(Exchange exchange, Route route) throws IOException {
    RepositoryName name = route.repository();
    String reference = route.argument();
    switch (exchange.method()) {
      case "GET", "HEAD" -> {
        ManifestRecord manifest = registry.getManifest(name, reference);
        exchange.setHeader(Exchange.CONTENT_DIGEST, manifest.digest().toString());
        exchange.setHeader("ETag", "\"" + manifest.digest() + "\"");
        exchange.sendBytes(200, manifest.mediaType().value(), manifest.content());
      }
      case "PUT" -> put(exchange, name, reference);
      case "DELETE" -> {
        registry.deleteManifest(name, reference);
        exchange.sendEmpty(202);
      }
      default -> throw new IllegalStateException(exchange.method());
    }
  }

  private void put(Exchange exchange, RepositoryName name, String reference) throws IOException {
    MediaType contentType =
        exchange
            .header("Content-Type")
            .filter(s -> !s.isBlank())
            .map(MediaType::parse)
            .orElse(null);
    // The engine reads at most its limit plus one byte and answers 413 beyond it, or at once when
    // the declared length is already too large.
    PushedManifest pushed =
        registry.putManifest(
            name, reference, contentType, exchange.body(), exchange.contentLength());
    exchange.setHeader(
        "Location", exchange.url("/v2/" + name.value() + "/manifests/" + pushed.digest()));
    exchange.setHeader(Exchange.CONTENT_DIGEST, pushed.digest().toString());
    pushed.subject().ifPresent(s -> exchange.setHeader("OCI-Subject", s.toString()));
    exchange.sendEmpty(201);
  }
}
