package io.ocireg.servlet;

import io.ocireg.spec.Digest;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds manifest and index JSON for tests, written by hand from the image spec so that tests do
 * not depend on the codec under test.
 */
final class TestManifest {
  static final String OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json";
  static final String OCI_INDEX = "application/vnd.oci.image.index.v1+json";
  static final String OCI_CONFIG = "application/vnd.oci.image.config.v1+json";
  static final String OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip";
  static final String OCI_EMPTY = "application/vnd.oci.empty.v1+json";
  static final String DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json";
  static final String DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json";
  static final String DOCKER_CONFIG = "application/vnd.docker.container.image.v1+json";
  static final String DOCKER_LAYER = "application/vnd.docker.image.rootfs.diff.tar.gzip";

  private String mediaType;
  private boolean writeMediaType = true;
  private String artifactType;
  private String config;
  private final List<String> layers = new ArrayList<>();
  private final List<String> manifests = new ArrayList<>();
  private String subject;
  private final Map<String, String> annotations = new LinkedHashMap<>();
  private boolean index;

  static TestManifest image(String config) {
    TestManifest m = new TestManifest();
    m.mediaType = OCI_MANIFEST;
    m.config = config;
    return m;
  }

  static TestManifest index() {
    TestManifest m = new TestManifest();
    m.mediaType = OCI_INDEX;
    m.index = true;
    return m;
  }

  static String descriptor(String mediaType, Digest digest, long size) {
    return "{\"mediaType\":\""
        + mediaType
        + "\",\"digest\":\""
        + digest
        + "\",\"size\":"
        + size
        + "}";
  }

  TestManifest mediaType(String type) {
    this.mediaType = type;
    return this;
  }

  /** Leaves the {@code mediaType} field out of the JSON. */
  TestManifest withoutMediaTypeField() {
    this.writeMediaType = false;
    return this;
  }

  TestManifest artifactType(String type) {
    this.artifactType = type;
    return this;
  }

  TestManifest layer(String descriptor) {
    layers.add(descriptor);
    return this;
  }

  TestManifest manifest(String descriptor) {
    manifests.add(descriptor);
    return this;
  }

  TestManifest subject(String descriptor) {
    this.subject = descriptor;
    return this;
  }

  TestManifest annotation(String key, String value) {
    annotations.put(key, value);
    return this;
  }

  byte[] bytes() {
    StringBuilder b = new StringBuilder("{\"schemaVersion\":2");
    if (writeMediaType) {
      b.append(",\"mediaType\":\"").append(mediaType).append('"');
    }
    if (artifactType != null) {
      b.append(",\"artifactType\":\"").append(artifactType).append('"');
    }
    if (index) {
      b.append(",\"manifests\":[").append(String.join(",", manifests)).append(']');
    } else {
      b.append(",\"config\":").append(config);
      b.append(",\"layers\":[").append(String.join(",", layers)).append(']');
    }
    if (subject != null) {
      b.append(",\"subject\":").append(subject);
    }
    if (!annotations.isEmpty()) {
      b.append(",\"annotations\":{");
      List<String> pairs = new ArrayList<>();
      annotations.forEach((k, v) -> pairs.add("\"" + k + "\":\"" + v + "\""));
      b.append(String.join(",", pairs)).append('}');
    }
    return b.append('}').toString().getBytes(StandardCharsets.UTF_8);
  }
}
