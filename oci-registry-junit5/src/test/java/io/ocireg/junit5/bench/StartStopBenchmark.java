package io.ocireg.junit5.bench;

import io.ocireg.server.OciRegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Enumeration;
import java.util.Locale;

/**
 * Start-to-ready and close of an in-process registry, as the extension does them per test: build,
 * start, answer a first {@code GET /v2/} (over a raw socket, so no client start-up is measured),
 * close. Prints the first run of this JVM and the median and 90th percentile of the following ones.
 * For the first run it also prints the CPU time it took, of all threads of the JVM (the JIT
 * compilers' included) and of the calling thread alone, which depend much less than wall time on
 * what else the machine runs (Linux only), and, at the end, how many classes the JVM loaded. With
 * {@code --after-classpath-scan} the class path is searched for a service first, as the JUnit
 * Platform does when it looks for test engines, before any registry starts: what opens every jar is
 * then no longer part of the first start. Not a test: run by {@code bench/start-stop.sh}, never by
 * the build.
 */
public final class StartStopBenchmark {
  private StartStopBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    if (args.length > 1 && args[1].equals("--after-classpath-scan")) {
      Enumeration<URL> engines =
          ClassLoader.getSystemClassLoader()
              .getResources("META-INF/services/org.junit.platform.engine.TestEngine");
      while (engines.hasMoreElements()) {
        engines.nextElement();
      }
    }
    long[] ready = new long[runs];
    long[] close = new long[runs];
    long cpu0 = 0;
    long cpu1 = 0;
    long ownCpu0 = 0;
    long ownCpu1 = 0;
    for (int i = 0; i < runs; i++) {
      if (i == 0) {
        cpu0 = processCpuNanos();
        ownCpu0 = threadCpuNanos(Path.of("/proc/thread-self"));
      }
      long t0 = System.nanoTime();
      OciRegistryServer server = OciRegistryServer.builder().start();
      ping(server.port());
      long t1 = System.nanoTime();
      if (i == 0) {
        cpu1 = processCpuNanos();
        ownCpu1 = threadCpuNanos(Path.of("/proc/thread-self"));
      }
      server.close();
      long t2 = System.nanoTime();
      ready[i] = t1 - t0;
      close[i] = t2 - t1;
    }
    System.out.printf(
        Locale.ROOT,
        "first start-to-ready %.1f ms (cpu %.0f ms, calling thread %.0f ms), first close %.1f ms;"
            + " after the first (%d runs): start-to-ready median %.1f ms p90 %.1f ms, close median"
            + " %.1f ms p90 %.1f ms; %d classes loaded%n",
        ms(ready[0]),
        ms(cpu1 - cpu0),
        ms(ownCpu1 - ownCpu0),
        ms(close[0]),
        runs - 1,
        ms(percentile(ready, 50)),
        ms(percentile(ready, 90)),
        ms(percentile(close, 50)),
        ms(percentile(close, 90)),
        ManagementFactory.getClassLoadingMXBean().getTotalLoadedClassCount());
  }

  /** CPU time of this JVM, all threads (ended ones too), in 10 ms steps; 0 off Linux. */
  private static long processCpuNanos() {
    try {
      String stat = Files.readString(Path.of("/proc/self/stat"));
      // After the command name in parentheses: utime and stime are fields 14 and 15, in ticks.
      String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
      long ticks = Long.parseLong(fields[11]) + Long.parseLong(fields[12]);
      return ticks * 10_000_000L; // USER_HZ is 100 on Linux
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static long threadCpuNanos(Path thread) {
    try {
      // The first field of schedstat: nanoseconds spent on a CPU.
      return Long.parseLong(Files.readString(thread.resolve("schedstat")).split(" ")[0]);
    } catch (IOException | RuntimeException e) {
      return 0;
    }
  }

  private static void ping(int port) throws IOException {
    try (Socket s = new Socket("127.0.0.1", port)) {
      OutputStream out = s.getOutputStream();
      out.write(
          "GET /v2/ HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n"
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      InputStream in = s.getInputStream();
      byte[] head = new byte[12];
      int n = in.readNBytes(head, 0, head.length);
      String status = new String(head, 0, n, StandardCharsets.US_ASCII);
      if (!status.startsWith("HTTP/1.1 200")) {
        throw new IllegalStateException("not ready: " + status);
      }
      in.readAllBytes();
    }
  }

  private static long percentile(long[] values, int p) {
    long[] rest = Arrays.copyOfRange(values, 1, values.length);
    Arrays.sort(rest);
    return rest[Math.min(rest.length - 1, rest.length * p / 100)];
  }

  private static double ms(long nanos) {
    return nanos / 1_000_000.0;
  }
}
