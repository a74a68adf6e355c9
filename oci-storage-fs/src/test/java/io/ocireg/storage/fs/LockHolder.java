package io.ocireg.storage.fs;

import io.ocireg.storage.CollectionLock.Hold;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;

/**
 * The other process of {@link FileCollectionLockTest}: opens a storage root as a collector would
 * and takes or releases its collection lock on commands read line by line from stdin, answering
 * each on stdout:
 *
 * <pre>
 * shared NAME | exclusive NAME           waits for the lock (on a thread of its own), then "held NAME"
 * try-shared NAME | try-exclusive NAME   "held NAME" or "busy NAME" at once
 * release NAME                           "released NAME" once released
 * </pre>
 */
public final class LockHolder {
  private LockHolder() {}

  public static void main(String[] args) throws Exception {
    PrintStream out = System.out;
    // Each hold lives on a thread of its own: a hold is released by the thread that took it.
    Map<String, CountDownLatch> releases = new ConcurrentHashMap<>();
    try (FileSystemStorage storage =
            FileSystemStorage.builder(Path.of(args[0])).sweepOnOpen(false).open();
        BufferedReader in =
            new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8))) {
      FileCollectionLock lock = (FileCollectionLock) storage.collectionLock();
      say(out, "ready");
      for (String line; (line = in.readLine()) != null; ) {
        String[] c = line.split(" ");
        String command = c[0];
        String name = c[1];
        if (command.equals("release")) {
          releases.remove(name).countDown();
          continue;
        }
        CountDownLatch release = new CountDownLatch(1);
        CountDownLatch answered = new CountDownLatch(1);
        releases.put(name, release);
        Thread t =
            new Thread(
                () -> {
                  Optional<Hold> hold =
                      switch (command) {
                        case "shared" -> Optional.of(lock.shared());
                        case "exclusive" -> Optional.of(lock.exclusive());
                        case "try-shared" -> lock.tryShared();
                        case "try-exclusive" -> lock.tryExclusive();
                        default -> throw new IllegalArgumentException(command);
                      };
                  say(out, (hold.isPresent() ? "held " : "busy ") + name);
                  answered.countDown();
                  if (hold.isPresent()) {
                    try {
                      release.await();
                    } catch (InterruptedException e) {
                      Thread.currentThread().interrupt();
                    }
                    hold.get().close();
                    say(out, "released " + name);
                  }
                });
        t.start();
        if (command.startsWith("try-")) {
          answered.await(); // answers in order
        }
      }
    }
  }

  private static void say(PrintStream out, String line) {
    synchronized (out) {
      out.println(line);
      out.flush();
    }
  }
}
