package io.ocireg.storage.fs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.ocireg.storage.CollectionLock.Hold;
import io.ocireg.storage.StorageException;
import java.io.BufferedReader;
import java.io.File;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The collection lock of a storage root between two processes (this one and a {@link LockHolder})
 * and between the threads of one. Waits are observed through the answers of the other process or
 * through the non-waiting tries, never through timers.
 */
@Timeout(value = 2, unit = TimeUnit.MINUTES, threadMode = Timeout.ThreadMode.SEPARATE_THREAD)
class FileCollectionLockTest {
  @TempDir Path root;
  private FileSystemStorage storage;
  private FileCollectionLock lock;
  private Other other;

  @BeforeEach
  void open() throws Exception {
    storage = FileSystemStorage.builder(root).fsync(false).open();
    lock = (FileCollectionLock) storage.collectionLock();
    other = new Other(root);
  }

  @AfterEach
  void close() {
    other.close();
    storage.close();
  }

  @Test
  void sharedHoldsOfTwoProcessesGoTogether() throws Exception {
    try (Hold mine = lock.shared()) {
      other.send("try-shared a");
      other.expect("held a");
    }
  }

  @Test
  void anExclusiveHoldInAnotherProcessWaitsUntilTheSharedHoldsEnd() throws Exception {
    Hold mine = lock.shared();
    other.send("try-exclusive a");
    other.expect("busy a");
    other.send("exclusive b");
    mine.close();
    other.expect("held b");
    assertThat(lock.tryShared()).isEmpty();
    other.send("release b");
    other.expect("released b");
    try (Hold again = lock.tryShared().orElseThrow()) {
      assertThat(again).isNotNull();
    }
  }

  @Test
  void aSharedHoldWaitsWhileAnotherProcessHoldsItExclusive() throws Exception {
    other.send("exclusive a");
    other.expect("held a");
    assertThat(lock.tryShared()).isEmpty();
    assertThat(lock.tryExclusive()).isEmpty();
    // A hold is released by the thread that took it.
    CompletableFuture<Void> held = new CompletableFuture<>();
    CountDownLatch done = new CountDownLatch(1);
    Thread waiter =
        new Thread(
            () -> {
              try (Hold mine = lock.shared()) {
                held.complete(null);
                done.await();
              } catch (Throwable e) {
                held.completeExceptionally(e);
              }
            });
    waiter.start();
    other.send("release a");
    other.expect("released a");
    held.get(1, TimeUnit.MINUTES);
    other.send("try-exclusive b");
    other.expect("busy b");
    done.countDown();
    waiter.join();
    other.send("try-exclusive c");
    other.expect("held c");
  }

  @Test
  void aCollectorWaitingForTheLockKeepsNewSharedHoldsOut() throws Exception {
    Hold first = lock.shared();
    other.send("exclusive a"); // waits for first, holding the turnstile meanwhile
    // This process already holds the lock shared, yet a new shared hold must queue behind the
    // collector; otherwise overlapping pushes could keep it out for ever.
    awaitTrue(
        () -> {
          Optional<Hold> h = lock.tryShared();
          h.ifPresent(Hold::close);
          return h.isEmpty();
        });
    first.close();
    other.expect("held a");
    other.send("release a");
    other.expect("released a");
    lock.tryShared().orElseThrow().close();
  }

  @Test
  void threadsOfOneProcessShareTheFileLockAndExcludeEachOther() throws Exception {
    AtomicInteger sharing = new AtomicInteger();
    AtomicInteger exclusive = new AtomicInteger();
    List<String> violations = new CopyOnWriteArrayList<>();
    ExecutorService pool = Executors.newFixedThreadPool(6);
    try {
      List<Future<?>> all = new ArrayList<>();
      for (int t = 0; t < 6; t++) {
        boolean collector = t < 2;
        all.add(
            pool.submit(
                () -> {
                  for (int i = 0; i < 300; i++) {
                    if (collector) {
                      try (Hold h = lock.exclusive()) {
                        if (exclusive.incrementAndGet() != 1 || sharing.get() != 0) {
                          violations.add("exclusive beside others");
                        }
                        exclusive.decrementAndGet();
                      }
                    } else {
                      try (Hold h = lock.shared()) {
                        sharing.incrementAndGet();
                        if (exclusive.get() != 0) {
                          violations.add("shared beside exclusive");
                        }
                        sharing.decrementAndGet();
                      }
                    }
                  }
                  return null;
                }));
      }
      for (Future<?> f : all) {
        f.get(1, TimeUnit.MINUTES); // an OverlappingFileLockException would surface here
      }
    } finally {
      pool.shutdownNow();
    }
    assertThat(violations).isEmpty();
    other.send("try-exclusive a");
    other.expect("held a"); // nothing left held
  }

  @Test
  void storagesOnOneRootInOneProcessShareOneLockAndClosingOneKeepsTheOthersHolds()
      throws Exception {
    FileSystemStorage second = FileSystemStorage.builder(root).sweepOnOpen(false).open();
    FileCollectionLock secondLock = (FileCollectionLock) second.collectionLock();
    assertThat(secondLock).isSameAs(lock);
    try (Hold mine = lock.shared()) {
      second.close();
      // Closing a channel of the file would have dropped every lock of this process on it.
      other.send("try-exclusive a");
      other.expect("busy a");
    }
    other.send("try-exclusive b");
    other.expect("held b");
  }

  @Test
  void anInterruptedWaiterFailsAndLeavesTheLockWorking() throws Exception {
    other.send("exclusive a");
    other.expect("held a");
    CompletableFuture<Throwable> failure = new CompletableFuture<>();
    Thread waiter =
        new Thread(
            () -> {
              try {
                lock.shared().close();
                failure.complete(null);
              } catch (Throwable e) {
                failure.complete(e);
              }
            });
    waiter.start();
    waiter.interrupt();
    assertThat(failure.get(1, TimeUnit.MINUTES))
        .isInstanceOf(StorageException.class)
        .hasMessageContaining("interrupted");
    other.send("release a");
    other.expect("released a");
    try (Hold mine = lock.shared()) {
      other.send("try-exclusive b");
      other.expect("busy b"); // still a real lock: the channel was not closed by the interrupt
    }
  }

  @Test
  void aKilledHolderLeavesNothingHeld() throws Exception {
    other.send("exclusive a");
    other.expect("held a");
    other.kill();
    lock.tryExclusive().orElseThrow().close();
  }

  @Test
  void aClosedStorageRefusesToHandOutItsLock() {
    storage.close();
    assertThatThrownBy(storage::collectionLock).isInstanceOf(IllegalStateException.class);
  }

  private static void awaitTrue(Supplier<Boolean> condition) throws InterruptedException {
    long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(1);
    while (!condition.get()) {
      assertThat(System.nanoTime()).as("condition within a minute").isLessThan(deadline);
      Thread.sleep(1);
    }
  }

  /** A {@link LockHolder} process on the same root. */
  private static final class Other implements AutoCloseable {
    private final Process process;
    private final PrintWriter in;
    private final BlockingQueue<String> lines = new LinkedBlockingQueue<>();

    Other(Path root) throws IOException, InterruptedException {
      process =
          new ProcessBuilder(
                  Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                  "-cp",
                  childClasspath(),
                  LockHolder.class.getName(),
                  root.toString())
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      in = new PrintWriter(process.getOutputStream(), true, StandardCharsets.UTF_8);
      Thread reader =
          new Thread(
              () -> {
                try (BufferedReader out =
                    new BufferedReader(
                        new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                  for (String line; (line = out.readLine()) != null; ) {
                    lines.add(line);
                  }
                } catch (IOException e) {
                  lines.add("read failed: " + e);
                }
              });
      reader.setDaemon(true);
      reader.start();
      expect("ready");
    }

    void send(String command) {
      in.println(command);
    }

    void expect(String line) throws InterruptedException {
      String next = lines.poll(1, TimeUnit.MINUTES);
      assertThat(next).as("answer of the other process").isEqualTo(line);
    }

    void kill() throws InterruptedException {
      process.destroyForcibly();
      process.waitFor(1, TimeUnit.MINUTES);
    }

    @Override
    public void close() {
      in.close();
      process.destroyForcibly();
    }

    /** The test classpath, plus the module path when the tests run on it. */
    private static String childClasspath() {
      String cp = System.getProperty("java.class.path", "");
      String mp = System.getProperty("jdk.module.path", "");
      return mp.isEmpty() ? cp : cp.isEmpty() ? mp : cp + File.pathSeparator + mp;
    }
  }
}
