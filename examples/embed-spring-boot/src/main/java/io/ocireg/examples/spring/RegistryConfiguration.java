package io.ocireg.examples.spring;

import io.ocireg.core.Registry;
import io.ocireg.core.auth.AccessControl;
import io.ocireg.core.auth.AccessRule;
import io.ocireg.core.auth.AccessRules;
import io.ocireg.core.auth.Action;
import io.ocireg.core.auth.Authenticator;
import io.ocireg.servlet.RegistryServlet;
import io.ocireg.storage.Storage;
import io.ocireg.storage.fs.FileSystemStorage;
import io.ocireg.storage.memory.InMemoryStorage;
import java.nio.file.Path;
import java.util.EnumSet;
import java.util.List;
import org.springframework.beans.factory.annotation.Value;
import org.springframework.boot.web.servlet.ServletRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The registry as Spring beans: storage, engine, access control and the servlet registration. */
@Configuration(proxyBeanMethods = false)
class RegistryConfiguration {
  /** The realm of every Basic challenge, the engine's and Spring Security's alike. */
  static final String REALM = "demo-app";

  /** The Spring Security role whose users may push; everybody else who logs in may pull. */
  static final String PUBLISHER_ROLE = "PUBLISHER";

  /**
   * In memory unless {@code registry.data-dir} is set. Spring closes it at shutdown, after the web
   * server has stopped ({@code close()} is the inferred destroy method).
   */
  @Bean
  Storage registryStorage(@Value("${registry.data-dir:}") String dataDir) {
    return dataDir.isBlank() ? new InMemoryStorage() : FileSystemStorage.open(Path.of(dataDir));
  }

  @Bean
  Registry registry(Storage registryStorage) {
    return Registry.create(registryStorage);
  }

  /**
   * Who the caller is comes from Spring Security: the servlet hands the engine the host's {@code
   * getUserPrincipal()}, and {@code isUserInRole} for the roles listed here, which become the
   * caller's groups. What a caller may do is the engine's rule set, so the registry answers with
   * the spec's 401/403 and error codes rather than the application's error pages.
   */
  @Bean
  AccessControl registryAccess() {
    Authenticator spring = Authenticator.fromHost(List.of(PUBLISHER_ROLE), REALM);
    AccessRules rules =
        AccessRules.of(
            List.of(
                new AccessRule(
                    "group:" + PUBLISHER_ROLE, "**", EnumSet.of(Action.PULL, Action.PUSH)),
                new AccessRule("authenticated", "**", EnumSet.of(Action.PULL))));
    return AccessControl.of(spring, rules);
  }

  /**
   * The registry as a plain servlet beside Spring MVC's DispatcherServlet (which keeps "/"): the
   * container hands it every /v2/ request directly, so blob bodies stream through untouched by
   * message converters, while Spring Security's filter chain, registered for every path, still runs
   * in front of it.
   */
  @Bean
  ServletRegistrationBean<RegistryServlet> registryServlet(
      Registry registry, AccessControl registryAccess) {
    ServletRegistrationBean<RegistryServlet> registration =
        new ServletRegistrationBean<>(new RegistryServlet(registry, registryAccess), "/v2/*");
    registration.setName("registry");
    return registration;
  }
}
