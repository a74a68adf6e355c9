package io.ocireg.server;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;
import java.io.IOException;

/**
 * A response stream that hands everything to another; filters that watch or alter a response body
 * override only {@link #write(byte[], int, int)}.
 */
abstract class ForwardingOutputStream extends ServletOutputStream {
  protected final ServletOutputStream delegate;

  ForwardingOutputStream(ServletOutputStream delegate) {
    this.delegate = delegate;
  }

  @Override
  public abstract void write(byte[] b, int off, int len) throws IOException;

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void flush() throws IOException {
    delegate.flush();
  }

  @Override
  public void close() throws IOException {
    delegate.close();
  }

  @Override
  public boolean isReady() {
    return delegate.isReady();
  }

  @Override
  public void setWriteListener(WriteListener listener) {
    delegate.setWriteListener(listener);
  }
}
