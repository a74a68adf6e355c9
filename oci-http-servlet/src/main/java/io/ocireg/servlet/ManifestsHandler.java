package io.ocireg.servlet;

import io.ocireg.core.PushedManifest;
import io.ocireg.core.Registry;
import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.spec.MediaType;
import io.ocireg.spec.Reference;
import io.ocireg.spec.RegistryException;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.ManifestRecord;
import java.io.IOException;

/**
 * {@code GET / HEAD / PUT / DELETE /v2/<name>/manifests/<reference>}: serves the stored bytes as
 * pushed, stores a pushed manifest (the engine caps what it reads), deletes a tag or a manifest.
 *
 * <p>A syntactically invalid reference is a 404 {@code MANIFEST_UNKNOWN} on reads and deletes (it
 * names nothing that could exist; the OCI conformance suite expects exactly this for {@code GET}
 * and {@code HEAD}), and a 400 on {@code PUT} ({@code MANIFEST_INVALID} for a tag, {@code
 * DIGEST_INVALID} for a digest), where the client must learn that it cannot push under that name.
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
    Reference reference = reference(route.argument(), exchange.method());
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

  private static Reference reference(String argument, String method) {
    try {
      return Reference.parse(argument);
    } catch (InvalidValueException e) {
      if ("PUT".equals(method)) {
        throw e;
      }
      throw new RegistryException(
          ErrorCode.MANIFEST_UNKNOWN, "manifest unknown to registry", e.getMessage());
    }
  }

  private void put(Exchange exchange, RepositoryName name, Reference reference) throws IOException {
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
