package io.ocireg.core;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.RegistryException;
import java.util.List;
import java.util.NavigableSet;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The count behind {@link RegistryOptions#maxOpenUploads()}: the ids of the sessions this engine
 * opened and has not seen end, plus sessions being opened right now. Counting in memory keeps the
 * check off the storage on every {@code POST}; the price is that sessions ended behind the engine's
 * back (or opened by an earlier process) are miscounted until the next {@link #reconcile}, which
 * the engine runs at every purge of stale sessions.
 */
final class OpenUploads {
  private final int max;
  private final Set<String> ids = ConcurrentHashMap.newKeySet();

  /** Tracked ids plus reservations not yet turned into a session. */
  private final AtomicInteger count = new AtomicInteger();

  OpenUploads(int max) {
    this.max = max;
  }

  /** Makes room for one more session, or throws 429 {@code TOOMANYREQUESTS} when full. */
  void reserve() {
    if (count.incrementAndGet() > max) {
      count.decrementAndGet();
      throw new RegistryException(
          ErrorCode.TOOMANYREQUESTS,
          "too many open upload sessions",
          "limit is " + max + "; finish or cancel a session first");
    }
  }

  /** The reserved session could not be opened. */
  void release() {
    count.decrementAndGet();
  }

  /** The reserved session is open under {@code id}. */
  void opened(String id) {
    if (!ids.add(id)) {
      // Already tracked (adopted by a reconcile that raced the open): the reservation is spare.
      count.decrementAndGet();
    }
  }

  /** The session {@code id} has ended, or was found gone; a no-op for ids not tracked. */
  void ended(String id) {
    if (ids.remove(id)) {
      count.decrementAndGet();
    }
  }

  /** Sessions counted now. */
  int count() {
    return count.get();
  }

  /** A snapshot of the tracked ids, sorted, to {@link #reconcile} against a listing. */
  NavigableSet<String> snapshot() {
    return new TreeSet<>(ids);
  }

  /**
   * Brings the count in line with one page of the storage's listing of every open session (ids in
   * ascending order): ids of {@code before} (a {@link #snapshot()} taken before the listing began)
   * in the range the page covers that it does not list have ended; listed ids not tracked are
   * counted, up to the limit (beyond it the registry is full either way, and the ids need not be
   * held). {@code after} is the id the page starts after, empty for the first; {@code last} says
   * whether the page ends the listing.
   */
  void reconcile(NavigableSet<String> before, String after, List<String> page, boolean last) {
    NavigableSet<String> covered = after == null ? before : before.tailSet(after, false);
    if (!last && !page.isEmpty()) {
      covered = covered.headSet(page.get(page.size() - 1), true);
    }
    Set<String> listed = Set.copyOf(page);
    for (String id : covered) {
      if (!listed.contains(id)) {
        ended(id);
      }
    }
    for (String id : page) {
      if (count.get() >= max) {
        return;
      }
      if (ids.add(id)) {
        count.incrementAndGet();
      }
    }
  }
}
