package io.ocireg.storage.fs;

import io.ocireg.spec.Digest;
import io.ocireg.spec.InvalidValueException;
import io.ocireg.storage.Page;
import io.ocireg.storage.StorageException;
import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;

/**
 * Sorted, paginated listings of directories. Directory order is not the wire order of what the
 * names stand for, so every level is sorted here (one directory's names at a time).
 */
final class Listings {
  private Listings() {}

  /** The entry names of {@code dir} in {@code String} order; empty when it does not exist. */
  static List<String> sortedNames(Path dir) {
    List<String> names = new ArrayList<>();
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path p : entries) {
        names.add(p.getFileName().toString());
      }
    } catch (NoSuchFileException | NotDirectoryException e) {
      return List.of();
    } catch (IOException e) {
      throw new StorageException("cannot list " + dir + ": " + e, e);
    }
    names.sort(Comparator.naturalOrder());
    return names;
  }

  /** Whether {@code dir} holds any entry. */
  static boolean isNonEmpty(Path dir) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      return entries.iterator().hasNext();
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    } catch (IOException e) {
      throw new StorageException("cannot list " + dir + ": " + e, e);
    }
  }

  /**
   * Whether some subdirectory of {@code dir} holds an entry (the {@code <alg>/<encoded>} shape).
   */
  static boolean hasGrandchild(Path dir) {
    try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
      for (Path child : entries) {
        if (isNonEmpty(child)) {
          return true;
        }
      }
      return false;
    } catch (NoSuchFileException | NotDirectoryException e) {
      return false;
    } catch (IOException e) {
      throw new StorageException("cannot list " + dir + ": " + e, e);
    }
  }

  /** At most {@code limit + 1} items, so that a page can tell whether more follow. */
  static int fetchSize(int limit) {
    if (limit < 0) {
      throw new IllegalArgumentException("negative limit " + limit);
    }
    return limit == Integer.MAX_VALUE ? limit : limit + 1;
  }

  static <T> Page<T> page(List<T> fetched, int limit) {
    if (fetched.size() > limit) {
      return new Page<>(fetched.subList(0, limit), true);
    }
    return new Page<>(fetched, false);
  }

  /**
   * Digests stored as {@code base/<alg>/<encoded>} (or {@code base/<alg>/<shard>/<encoded>} when
   * {@code sharded}), in ascending wire-form order, after {@code after}, one page.
   */
  static Page<Digest> digests(Path base, boolean sharded, Optional<Digest> after, int limit) {
    int want = fetchSize(limit);
    List<Digest> out = new ArrayList<>();
    // "alg:enc" order is the order of "alg:" first: ':' sorts after every character an
    // algorithm may hold after a shared prefix, so sort algorithms by that key, not by name.
    List<String> algorithms = new ArrayList<>(sortedNames(base));
    algorithms.sort(Comparator.comparing(a -> a + ":"));
    for (String alg : algorithms) {
      String encodedAfter = null;
      if (after.isPresent()) {
        int c = (alg + ":").compareTo(after.get().algorithm() + ":");
        if (c < 0) {
          continue;
        }
        if (c == 0) {
          encodedAfter = after.get().encoded();
        }
      }
      Path algDir = base.resolve(alg);
      if (sharded) {
        for (String shard : sortedNames(algDir)) {
          if (encodedAfter != null && entirelyBefore(shard, encodedAfter)) {
            continue;
          }
          if (collect(algDir.resolve(shard), alg, shard, encodedAfter, out, want)) {
            return page(out, limit);
          }
        }
      } else if (collect(algDir, alg, null, encodedAfter, out, want)) {
        return page(out, limit);
      }
    }
    return page(out, limit);
  }

  /** Whether every name starting with {@code prefix} sorts at or before {@code after}. */
  static boolean entirelyBefore(String prefix, String after) {
    return prefix.compareTo(after) < 0 && !after.startsWith(prefix);
  }

  private static boolean collect(
      Path dir, String alg, String shard, String encodedAfter, List<Digest> out, int want) {
    for (String encoded : sortedNames(dir)) {
      if (encodedAfter != null && encoded.compareTo(encodedAfter) <= 0) {
        continue;
      }
      if (shard != null && !Layout.shard(encoded).equals(shard)) {
        continue; // not a file this store wrote
      }
      Optional<Digest> d = digest(alg, encoded);
      if (d.isEmpty()) {
        continue;
      }
      out.add(d.get());
      if (out.size() >= want) {
        return true;
      }
    }
    return false;
  }

  static Optional<Digest> digest(String alg, String encoded) {
    try {
      return Optional.of(new Digest(alg, encoded));
    } catch (InvalidValueException e) {
      return Optional.empty();
    }
  }
}
