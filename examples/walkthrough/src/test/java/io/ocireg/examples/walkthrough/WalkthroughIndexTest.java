package io.ocireg.examples.walkthrough;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps {@code examples/README.md}, the step classes, {@link Walkthrough#STEPS} and the step tests
 * in agreement, so that a step cannot be added, renamed or removed without its index entry.
 */
class WalkthroughIndexTest {
  private static final Pattern STEP_NAME = Pattern.compile("Step\\d{2}[A-Z][A-Za-z0-9]*");
  private static final Path MODULE = Path.of(System.getProperty("basedir", "")).toAbsolutePath();
  private static final Path SOURCES =
      MODULE.resolve("src/main/java/io/ocireg/examples/walkthrough");
  private static final Path TESTS = MODULE.resolve("src/test/java/io/ocireg/examples/walkthrough");
  private static final Path README = MODULE.resolve("../README.md").normalize();
  private static final String JAR = "examples/walkthrough/target/walkthrough.jar";

  @Test
  void readmeIndexesExactlyTheStepsThatExist() throws IOException {
    Set<String> steps = stepClasses();
    Set<String> named = new TreeSet<>();
    Matcher m = STEP_NAME.matcher(readme());
    while (m.find()) {
      // Test classes such as Step01ApiVersionTest are mentioned too; they are not steps.
      named.add(m.group().replaceFirst("Test$", ""));
    }

    assertThat(steps).as("step classes in %s", SOURCES).isNotEmpty();
    assertThat(named)
        .as("steps named in %s (left) versus step classes (right)", README)
        .isEqualTo(steps);
  }

  @Test
  void everyStepHasATableRowWithItsCommand() throws IOException {
    List<String> rows =
        readme().lines().filter(l -> l.startsWith("| [Step")).collect(Collectors.toList());
    for (String step : stepClasses()) {
      assertThat(rows)
          .as("the table row of %s", step)
          .anySatisfy(
              row ->
                  assertThat(row)
                      .startsWith("| [" + step + "]")
                      .contains(
                          "walkthrough/src/main/java/io/ocireg/examples/walkthrough/"
                              + step
                              + ".java")
                      .contains(
                          "`java -cp " + JAR + " io.ocireg.examples.walkthrough." + step + "`"));
    }
    assertThat(rows).hasSameSizeAs(stepClasses());
  }

  @Test
  void stepsAreNumberedFromOneWithoutGapsAndRunInThatOrder() throws IOException {
    List<String> steps = List.copyOf(stepClasses());
    List<String> numbers = steps.stream().map(s -> s.substring(4, 6)).collect(Collectors.toList());

    assertThat(numbers)
        .isEqualTo(
            IntStream.rangeClosed(1, steps.size())
                .mapToObj(i -> String.format("%02d", i))
                .collect(Collectors.toList()));
    assertThat(Walkthrough.STEPS.stream().map(Walkthrough.Step::name))
        .containsExactlyElementsOf(steps);
  }

  @Test
  void everyStepHasMainRunItsThreeLineHeaderAndATest() throws Exception {
    for (String step : stepClasses()) {
      Class<?> type = Class.forName("io.ocireg.examples.walkthrough." + step);
      Method main = type.getMethod("main", String[].class);
      Method run = type.getMethod("run", URI.class);
      assertThat(Modifier.isStatic(main.getModifiers()) && Modifier.isPublic(main.getModifiers()))
          .as("%s.main", step)
          .isTrue();
      assertThat(Modifier.isStatic(run.getModifiers())).as("%s.run is static", step).isTrue();
      assertThat(run.getReturnType()).as("%s.run returns a result", step).isNotEqualTo(void.class);

      List<String> head =
          Files.readAllLines(SOURCES.resolve(step + ".java"), StandardCharsets.UTF_8).subList(0, 3);
      assertThat(head.get(0)).as("%s, line 1", step).startsWith("// Teaches: ");
      assertThat(head.get(1)).as("%s, line 2", step).startsWith("// Spec: ");
      assertThat(head.get(2)).as("%s, line 3", step).startsWith("// Endpoints: ");

      assertThat(TESTS.resolve(step + "Test.java")).as("the test of %s", step).exists();
    }
  }

  /** The step classes, by scanning the source directory, in name (and so reading) order. */
  static Set<String> stepClasses() throws IOException {
    try (Stream<Path> files = Files.list(SOURCES)) {
      return files
          .map(p -> p.getFileName().toString())
          .filter(n -> n.endsWith(".java"))
          .map(n -> n.substring(0, n.length() - ".java".length()))
          .filter(n -> STEP_NAME.matcher(n).matches())
          .collect(Collectors.toCollection(TreeSet::new));
    }
  }

  private static String readme() throws IOException {
    return Files.readString(README, StandardCharsets.UTF_8);
  }
}
