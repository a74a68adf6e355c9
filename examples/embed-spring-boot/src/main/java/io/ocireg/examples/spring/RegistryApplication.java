package io.ocireg.examples.spring;

import java.util.Arrays;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring Boot application with endpoints and users of its own that also serves an OCI registry:
 * {@code RegistryServlet} registered at {@code /v2/*}, behind the application's Spring Security
 * users, which the registry's access control takes as they are.
 *
 * @see <a href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md">OCI
 *     distribution spec v1.1</a>
 */
@SpringBootApplication
public class RegistryApplication {

  /**
   * Serves until stopped (Ctrl-C). Arguments: {@code [port]} (8080 by default) and any Spring Boot
   * property, such as {@code --registry.data-dir=/var/lib/registry} for storage on disk.
   */
  public static void main(String[] args) {
    SpringApplication.run(RegistryApplication.class, withPort(args));
  }

  /** A bare number first, as the other recipes take it, becomes {@code --server.port}. */
  static String[] withPort(String[] args) {
    if (args.length > 0 && args[0].matches("\\d+")) {
      String[] rest = Arrays.copyOfRange(args, 1, args.length);
      String[] all = new String[args.length];
      all[0] = "--server.port=" + args[0];
      System.arraycopy(rest, 0, all, 1, rest.length);
      return all;
    }
    return args;
  }
}
