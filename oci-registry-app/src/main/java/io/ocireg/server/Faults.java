package io.ocireg.server;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Faults injected into the answers of an {@link OciRegistryServer}, to test how registry clients
 * cope: an error status and code, a delay, 429 with {@code Retry-After}, a connection cut in the
 * middle of a body, a body whose bytes do not match its digest.
 *
 * <p>A fault is aimed with a {@link RequestMatcher} and fires on the {@code n}-th matching request
 * (the first by default) and the {@code times - 1} matching requests after it. Rules can be added,
 * removed and the whole set switched off at run time; thread-safe. Every request a rule matches is
 * counted, whether the rule fires or not.
 *
 * <pre>{@code
 * server.faults().on(RequestMatcher.manifestPut()).respond(500, "UNKNOWN");
 * server.faults().on(RequestMatcher.blobGet()).nth(2).times(3).cutBodyAfter(100);
 * }</pre>
 *
 * @see <a
 *     href="https://github.com/opencontainers/distribution-spec/blob/v1.1.0/spec.md#error-codes">
 *     distribution-spec: error codes</a>
 */
public final class Faults {
  private final List<InjectedFault> rules = new CopyOnWriteArrayList<>();
  private volatile boolean enabled = true;

  Faults() {}

  /** Starts a rule for the requests {@code matcher} chooses. */
  public Rule on(RequestMatcher matcher) {
    return new Rule(Objects.requireNonNull(matcher, "matcher"));
  }

  /** Starts a rule for {@code method} ({@code "*"} for any) on paths matching {@code pathRegex}. */
  public Rule on(String method, String pathRegex) {
    return on(RequestMatcher.of(method, pathRegex));
  }

  /** Removes every rule. */
  public void clear() {
    rules.clear();
  }

  /** Turns injection on or off at run time without removing the rules; on by default. */
  public void setEnabled(boolean on) {
    enabled = on;
  }

  public boolean isEnabled() {
    return enabled;
  }

  /** The rules in force, oldest first. */
  public List<InjectedFault> rules() {
    return List.copyOf(rules);
  }

  /** The actions that fire for {@code request}, counting it against every matching rule. */
  List<InjectedFault.Action> fire(RequestMatcher.RequestLine request) {
    if (!enabled) {
      return List.of();
    }
    List<InjectedFault.Action> out = new ArrayList<>();
    for (InjectedFault rule : rules) {
      if (rule.matcher.matches(request) && rule.count()) {
        out.add(rule.action);
      }
    }
    return out;
  }

  /** Where a fault fires; finished by one of the actions, which installs it. */
  public final class Rule {
    private final RequestMatcher matcher;
    private int nth = 1;
    private int times = 1;

    private Rule(RequestMatcher matcher) {
      this.matcher = matcher;
    }

    /** Fires first on the {@code n}-th matching request (1 = the first). */
    public Rule nth(int n) {
      if (n < 1) {
        throw new IllegalArgumentException("n must be at least 1: " + n);
      }
      this.nth = n;
      return this;
    }

    /** Fires on this many matching requests in a row (1 by default). */
    public Rule times(int count) {
      if (count < 1) {
        throw new IllegalArgumentException("times must be at least 1: " + count);
      }
      this.times = count;
      return this;
    }

    /** Fires on every matching request from the {@code n}-th on. */
    public Rule always() {
      this.times = Integer.MAX_VALUE;
      return this;
    }

    /**
     * Answers {@code status} with the spec's error body carrying {@code code} (any string, such as
     * {@code UNKNOWN} or {@code BLOB_UNKNOWN}).
     */
    public InjectedFault respond(int status, String code) {
      return respond(status, code, "injected fault");
    }

    /**
     * Answers {@code status} with the spec's error body carrying {@code code} and {@code message}.
     */
    public InjectedFault respond(int status, String code, String message) {
      if (status < 200 || status > 599) {
        throw new IllegalArgumentException("not an HTTP status: " + status);
      }
      return install(
          new InjectedFault.Action.Respond(
              status, Objects.requireNonNull(code), Objects.requireNonNull(message)));
    }

    /** Answers 429 {@code TOOMANYREQUESTS} with {@code Retry-After} in whole seconds. */
    public InjectedFault tooManyRequests(Duration retryAfter) {
      return install(new InjectedFault.Action.TooManyRequests(retryAfter));
    }

    /** Delays the request by {@code delay}, then answers it normally. */
    public InjectedFault delay(Duration delay) {
      return install(new InjectedFault.Action.Delay(delay));
    }

    /**
     * Sends the status, the headers and the first {@code bytes} bytes of the body, then closes the
     * connection.
     */
    public InjectedFault cutBodyAfter(long bytes) {
      return install(new InjectedFault.Action.CutBody(bytes));
    }

    /** Cuts the connection after half of the body (by its {@code Content-Length}). */
    public InjectedFault cutBodyHalfway() {
      return install(new InjectedFault.Action.CutBody(-1));
    }

    /**
     * Serves the body with its first byte changed: same length and headers, so a blob's bytes no
     * longer match its digest.
     */
    public InjectedFault corruptBody() {
      return install(new InjectedFault.Action.CorruptBody());
    }

    private InjectedFault install(InjectedFault.Action action) {
      InjectedFault fault = new InjectedFault(Faults.this, matcher, nth, times, action);
      rules.add(fault);
      return fault;
    }
  }

  void remove(InjectedFault fault) {
    rules.remove(fault);
  }

  /** A handle on an installed rule: how often it fired, and a way to remove it. */
  public static final class InjectedFault {
    /** What a fault does to the request it fires on. */
    public sealed interface Action {
      /** Answers an error instead of the registry. */
      record Respond(int status, String code, String message) implements Action {}

      /** Answers 429 with {@code Retry-After}. */
      record TooManyRequests(Duration retryAfter) implements Action {
        public TooManyRequests {
          if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("negative Retry-After: " + retryAfter);
          }
        }
      }

      /** Waits, then lets the registry answer. */
      record Delay(Duration delay) implements Action {
        public Delay {
          if (delay.isNegative()) {
            throw new IllegalArgumentException("negative delay: " + delay);
          }
        }
      }

      /** Closes the connection after {@code bytes} of the body; -1 means half of it. */
      record CutBody(long bytes) implements Action {}

      /** Changes the first byte of the body. */
      record CorruptBody() implements Action {}
    }

    private final Faults owner;
    private final RequestMatcher matcher;
    private final int nth;
    private final int times;
    private final Action action;
    private final AtomicInteger matched = new AtomicInteger();
    private final AtomicInteger fired = new AtomicInteger();

    private InjectedFault(Faults owner, RequestMatcher matcher, int nth, int times, Action action) {
      this.owner = owner;
      this.matcher = matcher;
      this.nth = nth;
      this.times = times;
      this.action = action;
    }

    /** Counts a matching request; whether the rule fires on it. */
    private boolean count() {
      int index = matched.incrementAndGet();
      boolean fires = index >= nth && index - nth < times;
      if (fires) {
        fired.incrementAndGet();
      }
      return fires;
    }

    /** How many requests this rule matched. */
    public int matched() {
      return matched.get();
    }

    /** How many requests this rule fired on. */
    public int fired() {
      return fired.get();
    }

    public Action action() {
      return action;
    }

    /** Removes this rule. */
    public void remove() {
      owner.remove(this);
    }

    @Override
    public String toString() {
      return action + " on " + matcher + " (n=" + nth + ", times=" + times + ")";
    }
  }
}
