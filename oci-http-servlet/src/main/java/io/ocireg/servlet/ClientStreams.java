package io.ocireg.servlet;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;

/**
 * Wraps the request body and the response body so that a failure of the client's connection is
 * remembered, however the engine or storage rewraps the {@link IOException} on its way up: a client
 * that goes away mid-transfer is routine, not a server error.
 */
final class ClientStreams {
  private volatile Exception failure;

  /** Whether reading the request or writing the response failed on the client's connection. */
  boolean failed() {
    return failure != null;
  }

  InputStream input(InputStream in) {
    return new FilterInputStream(in) {
      @Override
      public int read() throws IOException {
        try {
          return super.read();
        } catch (IOException e) {
          throw remember(e);
        } catch (RuntimeException e) {
          // A container may report a malformed body (bad chunk framing) unchecked.
          throw remember(e);
        }
      }

      @Override
      public int read(byte[] b, int off, int len) throws IOException {
        try {
          return super.read(b, off, len);
        } catch (IOException e) {
          throw remember(e);
        } catch (RuntimeException e) {
          // A container may report a malformed body (bad chunk framing) unchecked.
          throw remember(e);
        }
      }

      @Override
      public long skip(long n) throws IOException {
        try {
          return super.skip(n);
        } catch (IOException e) {
          throw remember(e);
        } catch (RuntimeException e) {
          // A container may report a malformed body (bad chunk framing) unchecked.
          throw remember(e);
        }
      }
    };
  }

  OutputStream output(OutputStream out) {
    return new FilterOutputStream(out) {
      @Override
      public void write(int b) throws IOException {
        try {
          out.write(b);
        } catch (IOException e) {
          throw remember(e);
        }
      }

      @Override
      public void write(byte[] b, int off, int len) throws IOException {
        try {
          out.write(b, off, len);
        } catch (IOException e) {
          throw remember(e);
        }
      }

      @Override
      public void flush() throws IOException {
        try {
          out.flush();
        } catch (IOException e) {
          throw remember(e);
        }
      }

      @Override
      public void close() throws IOException {
        try {
          out.close();
        } catch (IOException e) {
          throw remember(e);
        }
      }
    };
  }

  private <E extends Exception> E remember(E e) {
    failure = e;
    return e;
  }
}
