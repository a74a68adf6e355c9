package io.ocireg.server;

import io.ocireg.core.GarbageCollectionException;
import io.ocireg.core.GarbageCollector;
import io.ocireg.core.GcOptions;
import io.ocireg.core.GcReport;
import io.ocireg.core.Registry;
import io.ocireg.core.ScrubReport;
import io.ocireg.core.Scrubber;
import io.ocireg.storage.StorageException;
import io.ocireg.storage.fs.FileSystemStorage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;

/**
 * {@code java -jar oci-registry.jar gc --storage DIR [--dry-run] [...]} and {@code scrub --storage
 * DIR [--quarantine]}: one collection or scrub of a filesystem storage, safe while a server serves
 * the same directory (the storage is opened without sweeping the server's temp files and sessions,
 * each batch of deletes holds the storage's collection lock {@code gc.lock} exclusive, which the
 * server's pushes hold shared, and the collection respects the times those pushes record; see
 * docs/gc.md). Prints the report as JSON on stdout.
 */
final class MaintenanceCommand {
  static final String GC = "gc";
  static final String SCRUB = "scrub";

  private final PrintStream out;
  private final PrintStream err;

  MaintenanceCommand(PrintStream out, PrintStream err) {
    this.out = out;
    this.err = err;
  }

  static boolean handles(String first) {
    return first.equals(GC) || first.equals(SCRUB);
  }

  static String usage() {
    return """
        Usage: java -jar oci-registry.jar gc --storage DIR [OPTION]...
               java -jar oci-registry.jar scrub --storage DIR [--quarantine]
        Collects garbage in (or re-hashes) a filesystem storage, also while a server uses it
        (the lock file gc.lock in DIR keeps the collection and the server's pushes apart; see
        docs/gc.md).
        gc options:
          --dry-run                         report what would go, remove nothing
          --grace-period DURATION           keep what was written this recently (default 1h)
          --keep-untagged all|N             untagged manifests kept per repository (default all)
          --delete-orphan-referrers         remove referrers whose subject is gone
          --remove-empty-repositories       empty and remove repositories without tags
          --upload-max-age DURATION         remove upload sessions idle this long (default 24h)
        scrub options:
          --quarantine                      remove corrupt blobs (they become BLOB_UNKNOWN)
        Exit status: 0 done, 1 bad usage or failure, 2 scrub found corrupt content.
        """;
  }

  /** The switches (no value) each command takes. */
  private static final Map<String, Set<String>> SWITCHES =
      Map.of(
          GC,
          Set.of("--dry-run", "--delete-orphan-referrers", "--remove-empty-repositories"),
          SCRUB,
          Set.of("--quarantine"));

  /** The options with a value each command takes. */
  private static final Map<String, Set<String>> VALUED =
      Map.of(
          GC,
          Set.of("--storage", "--grace-period", "--keep-untagged", "--upload-max-age"),
          SCRUB,
          Set.of("--storage"));

  /** Runs the command in {@code args} (whose first element is {@code gc} or {@code scrub}). */
  void run(List<String> args) throws Main.Exit {
    String command = args.get(0);
    String other = command.equals(GC) ? SCRUB : GC;
    Map<String, String> flags = new LinkedHashMap<>();
    for (int i = 1; i < args.size(); i++) {
      String a = args.get(i);
      if (a.equals("--help") || a.equals("-h")) {
        out.print(usage());
        out.flush();
        return;
      }
      if (SWITCHES.get(command).contains(a)) {
        flags.put(a, "true");
      } else if (VALUED.get(command).contains(a)) {
        if (i + 1 >= args.size() || args.get(i + 1).startsWith("--")) {
          throw fail("option " + a + " needs a value (see " + command + " --help)");
        }
        flags.put(a, args.get(++i));
      } else if (SWITCHES.get(other).contains(a) || VALUED.get(other).contains(a)) {
        throw fail(
            "option "
                + a
                + " is for "
                + other
                + ", not "
                + command
                + " (see "
                + command
                + " --help)");
      } else {
        throw fail("unknown option " + a + " for " + command + " (see " + command + " --help)");
      }
    }
    String dir = flags.get("--storage");
    if (dir == null) {
      throw fail(command + " needs --storage DIR");
    }
    GcOptions options;
    try {
      options = gcOptions(flags);
    } catch (IllegalArgumentException e) {
      throw fail(e.getMessage());
    }
    Path root = Path.of(dir).toAbsolutePath().normalize();
    // Never sweep tmp/ or sessions here: a server may be writing them right now.
    try (FileSystemStorage storage = FileSystemStorage.builder(root).sweepOnOpen(false).open()) {
      Registry registry = Registry.create(storage);
      if (command.equals(GC)) {
        GcReport report = GarbageCollector.of(registry).collect(options);
        out.println(report.toJson());
        out.flush();
        return;
      }
      ScrubReport report = Scrubber.of(registry).scrub(flags.containsKey("--quarantine"));
      out.println(report.toJson());
      out.flush();
      if (!report.clean()) {
        throw new Main.Exit(2);
      }
    } catch (GarbageCollectionException | StorageException e) {
      throw fail(command + " failed: " + e.getMessage());
    }
  }

  private static GcOptions gcOptions(Map<String, String> flags) {
    GcOptions o = GcOptions.defaults();
    if (flags.containsKey("--dry-run")) {
      o = o.withDryRun(true);
    }
    if (flags.containsKey("--delete-orphan-referrers")) {
      o = o.withDeleteOrphanReferrers(true);
    }
    if (flags.containsKey("--remove-empty-repositories")) {
      o = o.withRemoveEmptyRepositories(true);
    }
    if (flags.containsKey("--grace-period")) {
      o = o.withGracePeriod(value(flags, "--grace-period", Setting::duration));
    }
    if (flags.containsKey("--upload-max-age")) {
      o = o.withUploadMaxAge(value(flags, "--upload-max-age", Setting::duration));
    }
    if (flags.containsKey("--keep-untagged")) {
      o = AdminServlet.keepUntagged(o, value(flags, "--keep-untagged", AdminServlet::untagged));
    }
    return o;
  }

  private static <T> T value(Map<String, String> flags, String flag, Function<String, T> parse) {
    try {
      return parse.apply(flags.get(flag));
    } catch (IllegalArgumentException e) {
      throw new IllegalArgumentException("invalid option " + flag + ": " + e.getMessage(), e);
    }
  }

  private Main.Exit fail(String message) {
    err.println("ocireg: " + message);
    err.flush();
    return new Main.Exit(1);
  }
}
