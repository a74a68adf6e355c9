package io.ocireg.examples.spring;

import static io.ocireg.examples.spring.RegistryConfiguration.PUBLISHER_ROLE;
import static io.ocireg.examples.spring.RegistryConfiguration.REALM;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.annotation.Order;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.http.SessionCreationPolicy;
import org.springframework.security.core.userdetails.User;
import org.springframework.security.core.userdetails.UserDetailsService;
import org.springframework.security.provisioning.InMemoryUserDetailsManager;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.security.web.servlet.util.matcher.PathPatternRequestMatcher;

/** The application's own authentication, which the registry reuses. */
@Configuration(proxyBeanMethods = false)
class SecurityConfiguration {
  // Explicit path matchers: with a second servlet beside the DispatcherServlet, Spring Security
  // cannot tell whether a plain string pattern means an MVC path, and refuses to guess.
  private static final PathPatternRequestMatcher.Builder PATHS =
      PathPatternRequestMatcher.withDefaults();

  /**
   * The demo's users: {@code reader} may pull, {@code writer} (role {@value
   * RegistryConfiguration#PUBLISHER_ROLE}) may also push. A real application has its own user store
   * (a database, LDAP, an identity provider); the registry sees whatever it authenticated.
   */
  @Bean
  UserDetailsService users() {
    // {noop}: plain-text passwords keep the demo readable; store hashes in a real application.
    return new InMemoryUserDetailsManager(
        User.withUsername("reader").password("{noop}reader-secret").roles("USER").build(),
        User.withUsername("writer")
            .password("{noop}writer-secret")
            .roles("USER", PUBLISHER_ROLE)
            .build());
  }

  /**
   * The registry's chain: Spring Security only says who the caller is (HTTP Basic, as registry
   * clients send it) and lets every request through; the engine's access control decides.
   */
  @Bean
  @Order(1)
  SecurityFilterChain registryChain(HttpSecurity http) throws Exception {
    return http.securityMatcher(PATHS.matcher("/v2/**"))
        .authorizeHttpRequests(requests -> requests.anyRequest().permitAll())
        .httpBasic(
            basic ->
                basic.realmName(REALM).authenticationEntryPoint(new OciUnauthorizedEntryPoint()))
        // Registry clients are not browsers: they send credentials with every request and keep
        // no cookies, so there is neither a session to create nor a CSRF token they could echo.
        .csrf(csrf -> csrf.disable())
        .sessionManagement(s -> s.sessionCreationPolicy(SessionCreationPolicy.STATELESS))
        // Spring Security would mark every response no-store; blobs are content-addressed and
        // never change, so caching is left to the registry's own headers.
        .headers(headers -> headers.cacheControl(cache -> cache.disable()))
        .build();
  }

  /** The application's own endpoints: {@code /health} for everyone, the rest after a login. */
  @Bean
  @Order(2)
  SecurityFilterChain applicationChain(HttpSecurity http) throws Exception {
    return http.authorizeHttpRequests(
            requests ->
                requests
                    .requestMatchers(PATHS.matcher("/health"))
                    .permitAll()
                    .anyRequest()
                    .authenticated())
        .httpBasic(Customizer.withDefaults())
        .build();
  }
}
