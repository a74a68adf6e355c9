package io.ocireg.servlet.process;

import io.ocireg.core.Registry;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.storage.fs.FileSystemStorage;
import java.nio.file.Path;
import org.eclipse.jetty.ee10.servlet.ServletContextHandler;
import org.eclipse.jetty.ee10.servlet.ServletHolder;
import org.eclipse.jetty.server.Server;
import org.eclipse.jetty.server.ServerConnector;

/**
 * A bare registry process for tests: {@link RegistryServlet} in Jetty on loopback, port 0, over
 * filesystem storage in the directory given as the only argument. Prints {@code LISTENING <uri>}.
 */
public final class RegistryServerMain {
  private RegistryServerMain() {}

  public static void main(String[] args) throws Exception {
    FileSystemStorage storage = FileSystemStorage.open(Path.of(args[0]));
    Server server = new Server();
    ServerConnector connector = new ServerConnector(server);
    connector.setHost("127.0.0.1");
    connector.setPort(0);
    server.addConnector(connector);
    ServletContextHandler context = new ServletContextHandler();
    context.addServlet(new ServletHolder(new RegistryServlet(Registry.create(storage))), "/v2/*");
    server.setHandler(context);
    server.start();
    System.out.println("LISTENING http://127.0.0.1:" + connector.getLocalPort());
    System.out.flush();
    server.join();
  }
}
