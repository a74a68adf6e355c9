package io.ocireg.junit5.bench;

import io.ocireg.server.OciRegistryServer;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;

/**
 * Start-to-ready and close of an in-process registry, as the extension does them per test: build,
 * start, answer a first {@code GET /v2/} (over a raw socket, so no client start-up is measured),
 * close. Prints the first run of this JVM and the median and 90th percentile of the following ones.
 * Not a test: run by {@code bench/start-stop.sh}, never by the build.
 */
public final class StartStopBenchmark {
  private StartStopBenchmark() {}

  public static void main(String[] args) throws Exception {
    int runs = args.length > 0 ? Integer.parseInt(args[0]) : 200;
    long[] ready = new long[runs];
    long[] close = new long[runs];
    for (int i = 0; i < runs; i++) {
      long t0 = System.nanoTime();
      OciRegistryServer server = OciRegistryServer.builder().start();
      ping(server.port());
      long t1 = System.nanoTime();
      server.close();
      long t2 = System.nanoTime();
      ready[i] = t1 - t0;
      close[i] = t2 - t1;
    }
    System.out.printf(
        Locale.ROOT,
        "first start-to-ready %.1f ms, first close %.1f ms; after the first (%d runs):"
            + " start-to-ready median %.1f ms p90 %.1f ms, close median %.1f ms p90 %.1f ms%n",
        ms(ready[0]),
        ms(close[0]),
        runs - 1,
        ms(percentile(ready, 50)),
        ms(percentile(ready, 90)),
        ms(percentile(close, 50)),
        ms(percentile(close, 90)));
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
