package io.ocireg.server;

import org.eclipse.jetty.util.VirtualThreads;
import org.eclipse.jetty.util.thread.QueuedThreadPool;

/**
 * The request threads: a bounded pool on JDK 17, virtual threads on JDK 21 and newer. The code is
 * compiled for 17, so virtual threads are found at run time (Jetty looks them up reflectively).
 */
record ServerThreads(QueuedThreadPool pool, Kind kind) {
  enum Kind {
    PLATFORM,
    VIRTUAL;

    @Override
    public String toString() {
      return name().toLowerCase();
    }
  }

  static ServerThreads create(int maxThreads) {
    QueuedThreadPool pool = new QueuedThreadPool(maxThreads, Math.min(8, maxThreads));
    pool.setName("ocireg");
    if (VirtualThreads.areSupported()) {
      // The pool keeps running Jetty's selectors; servlet calls go to virtual threads.
      pool.setVirtualThreadsExecutor(VirtualThreads.getNamedVirtualThreadsExecutor("ocireg-vt"));
      return new ServerThreads(pool, Kind.VIRTUAL);
    }
    return new ServerThreads(pool, Kind.PLATFORM);
  }
}
