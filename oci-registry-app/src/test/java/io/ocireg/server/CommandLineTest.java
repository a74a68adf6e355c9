package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CommandLineTest {
  @TempDir Path dir;

  private static ServerOptions run(List<String> args, Map<String, String> env) throws Exception {
    CommandLine c = CommandLine.parse(args, env);
    assertThat(c).isInstanceOf(CommandLine.Run.class);
    return ((CommandLine.Run) c).options();
  }

  private Path config(String yaml) throws IOException {
    return Files.writeString(dir.resolve("ocireg.yaml"), yaml);
  }

  @Test
  void defaultsToEveryAddressOnPort5000WithRegistryDataInTheWorkingDirectory() throws Exception {
    ServerOptions o = run(List.of(), Map.of());
    assertThat(o.bind()).isEqualTo("0.0.0.0");
    assertThat(o.port()).isEqualTo(5000);
    assertThat(o.storageDirectory()).hasValue(Path.of("registry-data").toAbsolutePath());
    assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(30));
  }

  @Test
  void flagsBeatEnvironmentWhichBeatsTheConfigFile() throws Exception {
    Path file = config("port: 1111\nbind: 10.0.0.1\nstorage: /from/file\nmaxThreads: 50\n");
    Map<String, String> env =
        Map.of("OCIREG_CONFIG", file.toString(), "OCIREG_PORT", "2222", "OCIREG_BIND", "10.0.0.2");

    ServerOptions o = run(List.of("--port", "3333"), env);

    assertThat(o.port()).isEqualTo(3333);
    assertThat(o.bind()).isEqualTo("10.0.0.2");
    assertThat(o.storageDirectory()).hasValue(Path.of("/from/file"));
    assertThat(o.maxThreads()).isEqualTo(50);
  }

  @Test
  void configFlagBeatsConfigVariable() throws Exception {
    Path file = config("port: 1111\n");
    Path other = Files.writeString(dir.resolve("other.yaml"), "port: 4444\n");
    ServerOptions o = run(List.of("--config=" + other), Map.of("OCIREG_CONFIG", file.toString()));
    assertThat(o.port()).isEqualTo(4444);
  }

  @Test
  void acceptsEqualsFormAndInMemoryStorage() throws Exception {
    ServerOptions o =
        run(List.of("--port=0", "--storage=memory", "--shutdown-timeout", "5s"), Map.of());
    assertThat(o.port()).isZero();
    assertThat(o.storageDirectory()).isEqualTo(Optional.empty());
    assertThat(o.shutdownTimeout()).isEqualTo(Duration.ofSeconds(5));
  }

  @Test
  void everySettingHasAFlagAVariableAndAKey() throws Exception {
    ServerOptions viaFlags =
        run(
            List.of(
                "--port",
                "7",
                "--bind",
                "::1",
                "--storage",
                "/d",
                "--max-threads",
                "9",
                "--shutdown-timeout",
                "PT2S",
                "--max-manifest-bytes",
                "1000"),
            Map.of());
    ServerOptions viaEnv =
        run(
            List.of(),
            Map.of(
                "OCIREG_PORT",
                "7",
                "OCIREG_BIND",
                "::1",
                "OCIREG_STORAGE",
                "/d",
                "OCIREG_MAX_THREADS",
                "9",
                "OCIREG_SHUTDOWN_TIMEOUT",
                "2",
                "OCIREG_MAX_MANIFEST_BYTES",
                "1000"));
    Path file =
        config(
            "port: 7\nbind: '::1'\nstorage: /d\nmaxThreads: 9\nshutdownTimeout: 2s\n"
                + "maxManifestBytes: 1000\n");
    ServerOptions viaFile = run(List.of("--config", file.toString()), Map.of());

    assertThat(viaFlags).isEqualTo(viaEnv).isEqualTo(viaFile);
    assertThat(viaFlags.registry().maxManifestBytes()).isEqualTo(1000);
  }

  @Test
  void helpAndVersionWinOverEverythingElse() throws Exception {
    assertThat(CommandLine.parse(List.of("--port", "x", "--help"), Map.of()))
        .isInstanceOf(CommandLine.Help.class);
    assertThat(CommandLine.parse(List.of("--version"), Map.of()))
        .isInstanceOf(CommandLine.Version.class);
    assertThat(CommandLine.usage()).contains("--port", "OCIREG_PORT", "maxThreads", "--config");
  }

  @Test
  void rejectsUnknownFlagsMissingValuesAndBadValues() {
    assertThatThrownBy(() -> CommandLine.parse(List.of("--prot", "1"), Map.of()))
        .hasMessage("unknown option --prot (see --help)");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--port"), Map.of()))
        .hasMessage("option --port needs a value (see --help)");
    assertThatThrownBy(() -> CommandLine.parse(List.of("serve"), Map.of()))
        .hasMessageContaining("unexpected argument 'serve'");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--port", "70000"), Map.of()))
        .hasMessageContaining("invalid option --port");
    assertThatThrownBy(() -> CommandLine.parse(List.of(), Map.of("OCIREG_PORT", "five")))
        .hasMessageContaining("invalid environment variable OCIREG_PORT: 'five'");
  }

  @Test
  void rejectsUnknownKeysBadYamlAndMissingFiles() throws Exception {
    Path unknown = config("prot: 1\n");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--config", unknown.toString()), Map.of()))
        .hasMessageContaining("unknown key prot");
    Path bad = config("port: [1\n");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--config", bad.toString()), Map.of()))
        .hasMessageContaining("not valid YAML");
    Path nested = config("port:\n  value: 1\n");
    assertThatThrownBy(() -> CommandLine.parse(List.of("--config", nested.toString()), Map.of()))
        .hasMessageContaining("port must be a single value");
    assertThatThrownBy(
            () -> CommandLine.parse(List.of("--config", dir.resolve("none").toString()), Map.of()))
        .hasMessageContaining("cannot read config file");
  }

  @Test
  void anEmptyConfigFileChangesNothing() throws Exception {
    Path empty = config("");
    assertThat(run(List.of("--config", empty.toString()), Map.of()))
        .isEqualTo(CommandLine.mainDefaults());
  }
}
