package io.ocireg.servlet;

import java.io.IOException;

/** Serves one endpoint family: reads the request, calls the engine, writes the response. */
interface Handler {

  /**
   * Handles a request whose method the endpoint allows. Registry errors are thrown, never written
   * here: {@link ErrorWriter} writes every error.
   */
  void handle(Exchange exchange, Route route) throws IOException;
}
