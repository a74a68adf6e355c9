package io.ocireg.servlet;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class ExchangeTest {

  @ParameterizedTest(name = "{0} in context ''{1}'' ({2} + {3}) -> ''{4}''")
  @CsvSource(
      nullValues = "null",
      value = {
        // request URI, context path, servlet path, path info, expected mount prefix
        "/v2/a/tags/list,            '',      /v2,          /a/tags/list,     ''",
        "/v2/,                       '',      /v2,          /,                ''",
        "/v2,                        '',      /v2,          null,             ''",
        "/ctx/v2/a/tags/list,        /ctx,    /v2,          /a/tags/list,     /ctx",
        "/v2/a/tags/list,            '',      '',           /v2/a/tags/list,  ''",
        "/ctx/v2/a/tags/list,        /ctx,    '',           /v2/a/tags/list,  /ctx",
        "/ctx/reg/v2/a/tags/list,    /ctx,    /reg,         /v2/a/tags/list,  /ctx/reg",
        "/ctx/x/y/v2/a/tags/list,    /ctx,    /x/y,         /v2/a/tags/list,  /ctx/x/y",
        "/ctx/reg/v2/a/tags/list,    /ctx,    /reg/v2,      /a/tags/list,     /ctx/reg",
        "/v2/a/tags/list,            '',      /v2/a/tags/list, null,          ''",
        "/ctx/v2/a/tags/list,        /ctx,    /v2/a/tags/list, null,          /ctx",
        "/r%65g/v2/a/tags/list,      '',      /reg,         /v2/a/tags/list,  /r%65g",
        "/reg;p=1/v2/a/tags/list,    '',      /reg,         /v2/a/tags/list,  /reg;p=1"
      })
  void findsWhereTheApiPathStarts(
      String uri, String context, String servletPath, String pathInfo, String prefix) {
    int start = Exchange.apiStart(uri, context, servletPath, pathInfo);
    assertThat(uri.substring(0, start)).isEqualTo(prefix);
    assertThat(uri.substring(start)).startsWith("/v2");
  }
}
