package io.ocireg.core.auth;

import io.ocireg.spec.RepositoryName;

/**
 * Decides what an {@link Identity} may do: {@link AccessRules} is the rule-based implementation of
 * the standalone server; a host may supply its own.
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes (DENIED)</a>
 */
public interface Authorizer {

  /** Whether {@code identity} may do {@code action} on {@code repository}. */
  boolean allows(Identity identity, RepositoryName repository, Action action);

  /** Whether {@code identity} may use the registry-wide admin endpoints (collection, scrub). */
  boolean mayAdminister(Identity identity);

  /** Everybody may do everything: a registry without access control. */
  static Authorizer allowAll() {
    return new Authorizer() {
      @Override
      public boolean allows(Identity identity, RepositoryName repository, Action action) {
        return true;
      }

      @Override
      public boolean mayAdminister(Identity identity) {
        return true;
      }
    };
  }
}
