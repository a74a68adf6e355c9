package io.ocireg.server;

import io.ocireg.spec.ErrorCode;
import io.ocireg.spec.ErrorResponse;
import io.ocireg.spec.RegistryException;
import java.nio.ByteBuffer;
import org.eclipse.jetty.http.HttpFields;
import org.eclipse.jetty.http.HttpHeader;
import org.eclipse.jetty.server.Request;
import org.eclipse.jetty.server.Response;
import org.eclipse.jetty.server.handler.ErrorHandler;
import org.eclipse.jetty.util.Callback;

/**
 * Errors that Jetty answers before a request reaches the registry (an ambiguous or encoded path, a
 * header or URI too long, a malformed request) in the spec's JSON error shape instead of Jetty's
 * HTML page, so that clients always parse the same body and nothing names the server software. Like
 * every other answer of the server, it is marked {@code X-Content-Type-Options: nosniff}.
 */
final class JsonErrorHandler extends ErrorHandler {

  @Override
  protected void generateResponse(
      Request request,
      Response response,
      int code,
      String message,
      Throwable cause,
      Callback callback) {
    response.getHeaders().put(HttpHeader.CONTENT_TYPE, "application/json");
    response.getHeaders().put("Docker-Distribution-API-Version", "registry/2.0");
    response.getHeaders().put("X-Content-Type-Options", "nosniff");
    response.write(true, ByteBuffer.wrap(body(code, request.getHttpURI().getPath())), callback);
  }

  @Override
  public ByteBuffer badMessageError(int status, String reason, HttpFields.Mutable fields) {
    fields.put(HttpHeader.CONTENT_TYPE, "application/json");
    fields.put("Docker-Distribution-API-Version", "registry/2.0");
    fields.put("X-Content-Type-Options", "nosniff");
    return ByteBuffer.wrap(body(status, null));
  }

  private static byte[] body(int status, String path) {
    // A 400 on a registry path is Jetty refusing an ambiguous name (encoded slash, dot segment).
    ErrorCode code =
        status == 400 && path != null && path.startsWith("/v2/")
            ? ErrorCode.NAME_INVALID
            : ErrorCode.UNSUPPORTED;
    String message =
        switch (status) {
          case 400 -> code == ErrorCode.NAME_INVALID ? "invalid repository name" : "bad request";
          case 404 -> "not found";
          case 405 -> "method not allowed";
          case 413, 431 -> "request headers too large";
          case 414 -> "request URI too long";
          default -> "request refused";
        };
    return ErrorResponse.of(new RegistryException(code, message).withStatus(status)).toJson();
  }
}
