package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.core.RegistryOptions;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The engine's limits and switches as settings: flags, environment, config file, bad values. */
class SettingTest {
  @TempDir Path dir;

  private static RegistryOptions registry(List<String> args, Map<String, String> env)
      throws Exception {
    CommandLine c = CommandLine.parse(args, env);
    assertThat(c).isInstanceOf(CommandLine.Run.class);
    return ((CommandLine.Run) c).options().registry();
  }

  /** Every engine setting away from its default, as the same values in three sources. */
  private static final Map<Setting, String> CHANGED =
      Map.ofEntries(
          Map.entry(Setting.MAX_MANIFEST_BYTES, "1MiB"),
          Map.entry(Setting.MAX_BLOB_SIZE, "10GiB"),
          Map.entry(Setting.MAX_OPEN_UPLOADS, "50"),
          Map.entry(Setting.MAX_MANIFEST_REFERENCES, "300"),
          Map.entry(Setting.MAX_PAGE_SIZE, "200"),
          Map.entry(Setting.DEFAULT_PAGE_SIZE, "20"),
          Map.entry(Setting.DELETES, "false"),
          Map.entry(Setting.IMMUTABLE_TAGS, "true"),
          Map.entry(Setting.REFERRERS, "false"),
          Map.entry(Setting.SINGLE_POST_UPLOAD, "false"),
          Map.entry(Setting.MOUNT_WITHOUT_FROM, "false"),
          Map.entry(Setting.DOCKER_MEDIA_TYPES, "false"));

  private static final RegistryOptions EXPECTED =
      new RegistryOptions(
          1024 * 1024, 200, 20, false, false, false, false, true, false, 50, 10L << 30, 300);

  @Test
  void defaultsAreTheEngineDefaults() throws Exception {
    assertThat(registry(List.of(), Map.of())).isEqualTo(RegistryOptions.defaults());
  }

  @Test
  void flagsSetEveryLimitAndSwitchOfTheEngine() throws Exception {
    List<String> args =
        CHANGED.entrySet().stream()
            .flatMap(e -> List.of(e.getKey().flag, e.getValue()).stream())
            .toList();
    assertThat(registry(args, Map.of())).isEqualTo(EXPECTED);
  }

  @Test
  void environmentSetsEveryLimitAndSwitchOfTheEngine() throws Exception {
    Map<String, String> env = new java.util.HashMap<>();
    CHANGED.forEach((s, v) -> env.put(s.env, v));
    assertThat(registry(List.of(), env)).isEqualTo(EXPECTED);
  }

  @Test
  void configFileSetsEveryLimitAndSwitchOfTheEngine() throws Exception {
    StringBuilder yaml = new StringBuilder();
    CHANGED.forEach((s, v) -> yaml.append(s.key).append(": ").append(v).append('\n'));
    Path file = Files.writeString(dir.resolve("ocireg.yaml"), yaml);
    assertThat(registry(List.of("--config", file.toString()), Map.of())).isEqualTo(EXPECTED);
  }

  @Test
  void configFileTakesYamlBooleansAndNumbers() throws Exception {
    Path file =
        Files.writeString(
            dir.resolve("ocireg.yaml"),
            "deletes: no\nimmutableTags: yes\nmaxBlobSize: 1048576\nmaxOpenUploads: 7\n");
    RegistryOptions r = registry(List.of("--config", file.toString()), Map.of());
    assertThat(r.deletesEnabled()).isFalse();
    assertThat(r.immutableTags()).isTrue();
    assertThat(r.maxBlobBytes()).isEqualTo(1048576);
    assertThat(r.maxOpenUploads()).isEqualTo(7);
  }

  @Test
  void negatedSwitchesTurnOffWhatIsOnByDefault() throws Exception {
    RegistryOptions r =
        registry(
            List.of(
                "--no-deletes",
                "--no-referrers",
                "--no-single-post-upload",
                "--no-mount-without-from",
                "--no-docker-media-types"),
            Map.of());
    assertThat(r)
        .isEqualTo(
            RegistryOptions.defaults()
                .withDeletesEnabled(false)
                .withReferrersEnabled(false)
                .withSinglePostUpload(false)
                .withMountWithoutFrom(false)
                .withAcceptDockerMediaTypes(false));
    CommandLine noUi = CommandLine.parse(List.of("--no-ui"), Map.of());
    assertThat(((CommandLine.Run) noUi).options().ui()).isFalse();
    // Only booleans on by default have a negation.
    assertThat(Setting.IMMUTABLE_TAGS.negation()).isNull();
    assertThat(Setting.MAX_BLOB_SIZE.negation()).isNull();
    assertThatThrownBy(() -> CommandLine.parse(List.of("--no-immutable-tags"), Map.of()))
        .hasMessage("unknown option --no-immutable-tags (see --help)");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--no-deletes=true"), Map.of()))
        .hasMessage("option --no-deletes takes no value (see --help)");
  }

  @Test
  void aFlagBeatsTheEnvironmentForEngineSettings() throws Exception {
    RegistryOptions r =
        registry(
            List.of("--deletes", "true", "--max-blob-size", "unlimited"),
            Map.of("OCIREG_DELETES", "false", "OCIREG_MAX_BLOB_SIZE", "1MB"));
    assertThat(r.deletesEnabled()).isTrue();
    assertThat(r.maxBlobBytes()).isEqualTo(Long.MAX_VALUE);
  }

  @Test
  void pageSizesAreSetIndependently() throws Exception {
    RegistryOptions r = registry(List.of("--default-page-size", "5"), Map.of());
    assertThat(r.defaultPageSize()).isEqualTo(5);
    assertThat(r.maxPageSize()).isEqualTo(RegistryOptions.defaults().maxPageSize());
    r = registry(List.of("--max-page-size", "7", "--default-page-size", "3"), Map.of());
    assertThat(r.maxPageSize()).isEqualTo(7);
    assertThat(r.defaultPageSize()).isEqualTo(3);
  }

  @Test
  void sizesTakeDecimalAndBinaryUnits() {
    assertThat(Setting.size("4194304")).isEqualTo(4194304);
    assertThat(Setting.size("17B")).isEqualTo(17);
    assertThat(Setting.size("512MB")).isEqualTo(512_000_000L);
    assertThat(Setting.size("512mb")).isEqualTo(512_000_000L);
    assertThat(Setting.size("2k")).isEqualTo(2000);
    assertThat(Setting.size("4MiB")).isEqualTo(4L << 20);
    assertThat(Setting.size("10GiB")).isEqualTo(10L << 30);
    assertThat(Setting.size("10 Gi")).isEqualTo(10L << 30);
    assertThat(Setting.size(" 1TB ")).isEqualTo(1_000_000_000_000L);
    assertThat(Setting.size("1TiB")).isEqualTo(1L << 40);
  }

  @Test
  void sizesRefuseWhatIsNotASize() {
    for (String bad : List.of("", "MB", "1.5GB", "-1", "10XB", "10BB", "10Bi", "10 G B", "ten")) {
      assertThatThrownBy(() -> Setting.size(bad))
          .as("'%s'", bad)
          .isInstanceOf(IllegalArgumentException.class)
          .hasMessage("'" + bad + "' is not a size such as 4194304, 512MB or 10GiB");
    }
    assertThatThrownBy(() -> Setting.size("0")).hasMessage("must be positive, not 0");
    assertThatThrownBy(() -> Setting.size("99999999999TiB")).hasMessageContaining("too large");
  }

  @Test
  void badValuesNameTheSourceAndTheReason() throws Exception {
    assertThatThrownBy(() -> CommandLine.parse(List.of("--max-blob-size", "lots"), Map.of()))
        .hasMessage(
            "invalid option --max-blob-size: 'lots' is not a size such as 4194304, 512MB or"
                + " 10GiB");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--max-manifest-bytes", "3GiB"), Map.of()))
        .hasMessage("invalid option --max-manifest-bytes: must be at most 2147483647 bytes");
    assertThatThrownBy(() -> CommandLine.parse(List.of(), Map.of("OCIREG_MAX_OPEN_UPLOADS", "0")))
        .hasMessage(
            "invalid environment variable OCIREG_MAX_OPEN_UPLOADS: must be positive, not 0");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--deletes", "maybe"), Map.of()))
        .hasMessage("invalid option --deletes: 'maybe' is not true or false");
    Path file = Files.writeString(dir.resolve("bad.yaml"), "maxPageSize: many\n");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--config", file.toString()), Map.of()))
        .hasMessage("invalid config file " + file + ": maxPageSize: 'many' is not a number");
  }

  @Test
  void aBadValueEndsTheServerWithOneLineAndStatus1() {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    ByteArrayOutputStream err = new ByteArrayOutputStream();
    Main main =
        new Main(
            Map.of("OCIREG_IMMUTABLE_TAGS", "sometimes"),
            new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8));
    assertThatThrownBy(() -> main.launch("--port", "0", "--storage", "memory"))
        .isInstanceOfSatisfying(Main.Exit.class, e -> assertThat(e.code).isEqualTo(1));
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo(
            "ocireg: invalid environment variable OCIREG_IMMUTABLE_TAGS: 'sometimes' is not true"
                + " or false"
                + System.lineSeparator());
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void theStartLineShowsTheEngineSettings() throws Exception {
    CommandLine c = CommandLine.parse(List.of("--no-deletes", "--max-blob-size", "1KiB"), Map.of());
    assertThat(CommandLine.describe(((CommandLine.Run) c).options()))
        .contains("maxBlobSize=1024", "deletes=false", "immutableTags=false", "maxPageSize=1000");
    assertThat(CommandLine.describe(CommandLine.mainDefaults())).contains("maxBlobSize=unlimited");
  }

  @Test
  void usageListsTheNegatedSwitches() {
    assertThat(CommandLine.usage())
        .contains("--no-ui", "--no-deletes", "--no-referrers", "--max-blob-size SIZE|unlimited")
        .doesNotContain("SECONDS");
  }
}
