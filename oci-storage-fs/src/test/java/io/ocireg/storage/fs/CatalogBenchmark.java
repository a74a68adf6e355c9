package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.spec.RepositoryName;
import io.ocireg.storage.MetadataStore;
import io.ocireg.storage.Page;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.Supplier;
import java.util.stream.Stream;

/**
 * Not a test: times {@link MetadataStore#listRepositories} (what {@code GET /v2/_catalog?n=50} asks
 * of the storage) over a filesystem root of {@code REPOS} repositories (default 10 000; half {@code
 * team-N/app-M}, half {@code lib-N}, each holding one blob link). Prints the median and p95 of the
 * first page, a middle page and the last page, 50 names each, and, for comparison, the same pages
 * from a whole-tree walk that sorts and cuts.
 *
 * <pre>
 * java -cp ... io.ocireg.storage.fs.CatalogBenchmark [DIR] [REPOS] [ROUNDS]
 * </pre>
 *
 * (see {@code bench/catalog.sh}, which builds the class path). {@code DIR} is filled once and
 * reused by later runs.
 */
public final class CatalogBenchmark {
  private static final int PAGE = 50;

  private CatalogBenchmark() {}

  public static void main(String[] args) throws Exception {
    Path dir =
        Path.of(args.length > 0 ? args[0] : Files.createTempDirectory("catalog-bench").toString());
    int repos = args.length > 1 ? Integer.parseInt(args[1]) : 10_000;
    int rounds = args.length > 2 ? Integer.parseInt(args[2]) : 50;
    Path marker = dir.resolve("filled-" + repos);
    try (FileSystemStorage storage = FileSystemStorage.builder(dir).fsync(false).open()) {
      MetadataStore meta = storage.metadata();
      if (!Files.exists(marker)) {
        long t = System.nanoTime();
        for (String name : names(repos)) {
          meta.linkBlob(RepositoryName.parse(name), Digest.sha256(TestData.utf8(name)));
        }
        Files.writeString(marker, "");
        System.out.printf(
            "filled %d repositories in %.1f s%n", repos, (System.nanoTime() - t) / 1e9);
      }
      List<String> sorted = new ArrayList<>(names(repos));
      Collections.sort(sorted);
      Map<String, Optional<RepositoryName>> cases = new LinkedHashMap<>();
      cases.put("first page", Optional.empty());
      cases.put("middle page", Optional.of(RepositoryName.parse(sorted.get(repos / 2))));
      cases.put("last page", Optional.of(RepositoryName.parse(sorted.get(repos - PAGE - 1))));
      Path repositories = dir.toRealPath().resolve(Layout.REPOSITORIES);
      System.out.printf(
          "%d repositories, n=%d, %d timed calls per case after %d warm-up calls%n",
          repos, PAGE, rounds, rounds / 2);
      for (Map.Entry<String, Optional<RepositoryName>> c : cases.entrySet()) {
        Optional<RepositoryName> after = c.getValue();
        Page<RepositoryName> page = meta.listRepositories(after, PAGE);
        Page<RepositoryName> reference = wholeTreeWalk(meta, repositories, after);
        if (!page.equals(reference)) {
          throw new AssertionError(c.getKey() + ": " + page + " != " + reference);
        }
        time("listRepositories  " + c.getKey(), rounds, () -> meta.listRepositories(after, PAGE));
        time(
            "whole-tree walk   " + c.getKey(),
            rounds,
            () -> wholeTreeWalk(meta, repositories, after));
      }
    }
  }

  static List<String> names(int repos) {
    List<String> names = new ArrayList<>(repos);
    int libs = repos / 2;
    for (int i = 0; i < libs; i++) {
      names.add("lib-" + i);
    }
    for (int i = 0; names.size() < repos; i++) {
      names.add("team-" + i / 50 + "/app-" + i % 50);
    }
    return names;
  }

  private static void time(String label, int rounds, Supplier<Page<RepositoryName>> call) {
    for (int i = 0; i < rounds / 2; i++) {
      call.get();
    }
    List<Double> ms = new ArrayList<>();
    for (int i = 0; i < rounds; i++) {
      long t = System.nanoTime();
      call.get();
      ms.add((System.nanoTime() - t) / 1e6);
    }
    Collections.sort(ms);
    System.out.printf(
        "%-32s median %8.2f ms   p95 %8.2f ms%n",
        label, ms.get(ms.size() / 2), ms.get((int) Math.ceil(ms.size() * 0.95) - 1));
  }

  /** What a listing costs without the ordered walk: every repository found, sorted, then cut. */
  private static Page<RepositoryName> wholeTreeWalk(
      MetadataStore meta, Path repositories, Optional<RepositoryName> after) {
    List<String> all = new ArrayList<>();
    try (Stream<Path> walk = Files.walk(repositories)) {
      walk.filter(p -> Files.isDirectory(p.resolve(Layout.LINKS)))
          .map(p -> repositories.relativize(p).toString().replace('\\', '/'))
          .filter(RepositoryName::isValid)
          .filter(n -> meta.repositoryExists(RepositoryName.parse(n)))
          .forEach(all::add);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
    Collections.sort(all);
    List<RepositoryName> out = new ArrayList<>();
    for (String n : all) {
      if (after.isEmpty() || n.compareTo(after.get().value()) > 0) {
        out.add(RepositoryName.parse(n));
        if (out.size() > PAGE) {
          return new Page<>(out.subList(0, PAGE), true);
        }
      }
    }
    return new Page<>(out, false);
  }
}
