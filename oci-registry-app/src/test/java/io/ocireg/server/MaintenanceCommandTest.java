package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The options of {@code gc} and {@code scrub}: each takes its own and refuses the other's. */
class MaintenanceCommandTest {
  private final ByteArrayOutputStream out = new ByteArrayOutputStream();
  private final ByteArrayOutputStream err = new ByteArrayOutputStream();
  @TempDir Path dir;

  private Main main() {
    return new Main(
        Map.of(),
        new PrintStream(out, true, StandardCharsets.UTF_8),
        new PrintStream(err, true, StandardCharsets.UTF_8));
  }

  private void assertFailsWith(String line, String... args) {
    err.reset();
    assertThatThrownBy(() -> main().launch(args))
        .isInstanceOfSatisfying(Main.Exit.class, e -> assertThat(e.code).isEqualTo(1));
    assertThat(err.toString(StandardCharsets.UTF_8))
        .isEqualTo("ocireg: " + line + System.lineSeparator());
  }

  @Test
  void gcRefusesTheScrubSwitch() {
    assertFailsWith(
        "option --quarantine is for scrub, not gc (see gc --help)",
        "gc",
        "--storage",
        dir.toString(),
        "--quarantine");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void scrubRefusesTheGcOptions() {
    String storage = dir.toString();
    assertFailsWith(
        "option --dry-run is for gc, not scrub (see scrub --help)",
        "scrub",
        "--storage",
        storage,
        "--dry-run");
    assertFailsWith(
        "option --grace-period is for gc, not scrub (see scrub --help)",
        "scrub",
        "--grace-period",
        "0s",
        "--storage",
        storage);
    assertFailsWith(
        "unknown option --frobnicate for scrub (see scrub --help)",
        "scrub",
        "--storage",
        storage,
        "--frobnicate");
    assertThat(out.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void badValuesAndMissingValuesNameTheOption() {
    String storage = dir.toString();
    assertFailsWith(
        "invalid option --grace-period: 'soon' is not a duration such as 30s",
        "gc",
        "--storage",
        storage,
        "--grace-period",
        "soon");
    assertFailsWith(
        "invalid option --keep-untagged: 'some' is not a number or 'all'",
        "gc",
        "--storage",
        storage,
        "--keep-untagged",
        "some");
    assertFailsWith(
        "option --storage needs a value (see gc --help)", "gc", "--storage", "--dry-run");
    assertFailsWith("scrub needs --storage DIR", "scrub", "--quarantine");
  }

  @Test
  void eachCommandTakesItsOwnOptions() throws Exception {
    String storage = dir.toString();
    main()
        .launch(
            "gc",
            "--storage",
            storage,
            "--dry-run",
            "--grace-period",
            "0s",
            "--keep-untagged",
            "all",
            "--delete-orphan-referrers",
            "--remove-empty-repositories",
            "--upload-max-age",
            "1h");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"dryRun\":true");
    out.reset();
    main().launch("scrub", "--quarantine", "--storage", storage);
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("\"clean\":true");
    assertThat(err.toString(StandardCharsets.UTF_8)).isEmpty();
  }

  @Test
  void helpWinsForBothCommands() throws Exception {
    main().launch("scrub", "--help");
    assertThat(out.toString(StandardCharsets.UTF_8)).contains("scrub options:");
  }
}
