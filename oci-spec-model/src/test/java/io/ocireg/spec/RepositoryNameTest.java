package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class RepositoryNameTest {

  @ParameterizedTest
  @ValueSource(
      strings = {
        "library/ubuntu",
        "a",
        "0",
        "foo.bar",
        "foo_bar",
        "foo__bar",
        "foo-bar",
        "foo---bar",
        "a/b/c/d/e",
        "registry.example.org/project",
        "a0-b1.c2__d3/e4",
      })
  void acceptsNamesMatchingTheSpecRegex(String s) {
    assertThat(RepositoryName.parse(s)).hasToString(s);
    assertThat(RepositoryName.isValid(s)).isTrue();
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "",
        "Foo",
        "library/Ubuntu",
        "-foo",
        "foo-",
        ".foo",
        "foo.",
        "_foo",
        "foo_",
        "foo..bar",
        "foo___bar",
        "foo._bar",
        "foo-.bar",
        "foo/",
        "/foo",
        "foo//bar",
        "foo/-bar",
        ".",
        "..",
        "a/../b",
        "a/./b",
        "foo bar",
        "foo:bar",
        "foo@bar",
        "a%2Fb",
        "a\\b",
        "caf\u00e9",
        "foo\n",
      })
  void rejectsNamesOutsideTheSpecRegex(String s) {
    assertThatThrownBy(() -> RepositoryName.parse(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.NAME_INVALID);
              assertThat(e.input()).isEqualTo(s);
            });
    assertThat(RepositoryName.isValid(s)).isFalse();
  }

  @Test
  void acceptsUpTo255Characters() {
    String name = "a".repeat(100) + "/" + "b".repeat(154);
    assertThat(name).hasSize(255);
    assertThat(RepositoryName.parse(name).value()).isEqualTo(name);
  }

  @Test
  void rejects256Characters() {
    assertThat(RepositoryName.isValid("a".repeat(256))).isFalse();
    assertThat(RepositoryName.isValid("a".repeat(100) + "/" + "b".repeat(155))).isFalse();
  }

  @Test
  void rejectsNull() {
    assertThat(RepositoryName.isValid(null)).isFalse();
    assertThatThrownBy(() -> RepositoryName.parse(null)).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void sortsInCodePointOrder() {
    List<RepositoryName> names = new ArrayList<>();
    for (String s : List.of("b", "a/b", "a", "a-b", "a.b", "a_b", "0")) {
      names.add(RepositoryName.parse(s));
    }
    Collections.sort(names);
    assertThat(names)
        .extracting(RepositoryName::value)
        .containsExactly("0", "a", "a-b", "a.b", "a/b", "a_b", "b");
  }
}
