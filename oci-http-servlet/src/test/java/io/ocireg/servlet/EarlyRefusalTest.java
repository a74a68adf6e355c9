package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import io.ocireg.storage.memory.InMemoryStorage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * A request refused before its body is read (an out-of-order chunk) still gets its answer, and the
 * connection stays usable for the next request, as the conformance suite's clients expect.
 */
class EarlyRefusalTest {
  private RegistryServer server;

  @BeforeEach
  void start() {
    server = RegistryServer.start(new InMemoryStorage());
  }

  @AfterEach
  void stop() {
    server.close();
  }

  @Test
  void answersAnOutOfOrderChunkAndKeepsTheConnection() throws IOException {
    String location =
        server
            .send("POST", "/v2/lib/app/blobs/uploads/", null)
            .headers()
            .firstValue("Location")
            .orElseThrow();
    String path = URI.create(location).getRawPath();
    URI base = server.uri("/");
    try (Socket socket = new Socket(base.getHost(), base.getPort())) {
      OutputStream out = socket.getOutputStream();
      InputStream in = socket.getInputStream();
      String chunk = "x".repeat(20);
      out.write(
          ("PATCH "
                  + path
                  + " HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/octet-stream\r\n"
                  + "Content-Range: 22-41\r\nTransfer-Encoding: chunked\r\n\r\n"
                  + Integer.toHexString(chunk.length())
                  + "\r\n"
                  + chunk
                  + "\r\n0\r\n\r\n")
              .getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 416");

      out.write("GET /v2/ HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
      out.flush();
      assertThat(readResponse(in)).startsWith("HTTP/1.1 200");
    }
  }

  /** One response's head and body (by Content-Length) from a kept-alive connection. */
  private static String readResponse(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int matched = 0;
    while (matched < 4) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("connection closed; got: " + head);
      }
      head.write(b);
      matched = (b == (matched % 2 == 0 ? '\r' : '\n')) ? matched + 1 : (b == '\r' ? 1 : 0);
    }
    String text = head.toString(StandardCharsets.US_ASCII);
    int length = 0;
    for (String line : text.split("\r\n")) {
      if (line.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    byte[] body = in.readNBytes(length);
    return text + new String(body, StandardCharsets.UTF_8);
  }
}
