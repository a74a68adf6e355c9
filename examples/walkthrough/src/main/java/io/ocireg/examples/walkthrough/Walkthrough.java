package io.ocireg.examples.walkthrough;

import io.ocireg.server.OciRegistryServer;
import java.net.URI;
import java.util.List;

/**
 * Runs every step in order against one registry (the URL given, or one started in-process): the
 * whole OCI distribution spec as a single printed conversation. The jar's {@code Main-Class}.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
public final class Walkthrough {
  private Walkthrough() {}

  /** A step, by the name of its class. */
  record Step(String name, Launcher.Step run) {}

  /** Every step, in reading order. */
  static final List<Step> STEPS =
      List.of(
          new Step("Step01ApiVersion", Step01ApiVersion::run),
          new Step("Step02MonolithicUpload", Step02MonolithicUpload::run),
          new Step("Step03ChunkedUploadResumed", Step03ChunkedUploadResumed::run),
          new Step("Step04StreamedUpload", Step04StreamedUpload::run),
          new Step("Step05PushManifest", Step05PushManifest::run),
          new Step("Step06PullByTagAndDigest", Step06PullByTagAndDigest::run),
          new Step("Step07ListTags", Step07ListTags::run),
          new Step("Step08PushArtifact", Step08PushArtifact::run),
          new Step("Step09Referrers", Step09Referrers::run),
          new Step("Step10CrossRepositoryMount", Step10CrossRepositoryMount::run),
          new Step("Step11DeleteTagVersusManifest", Step11DeleteTagVersusManifest::run),
          new Step("Step12ErrorResponses", Step12ErrorResponses::run));

  /** Runs all steps against {@code args[0]}, or an in-process registry. */
  public static void main(String[] args) throws Exception {
    if (args.length > 0) {
      runAll(URI.create(args[0]));
      return;
    }
    try (OciRegistryServer server = Launcher.startInProcess()) {
      System.out.println("# Started an in-process registry at " + server.baseUri());
      runAll(server.baseUri());
    }
  }

  private static void runAll(URI registry) throws Exception {
    for (Step step : STEPS) {
      System.out.println();
      System.out.println("#".repeat(100));
      System.out.println("# " + step.name());
      System.out.println("#".repeat(100));
      System.out.println("# Result: " + step.run().run(registry));
    }
  }
}
