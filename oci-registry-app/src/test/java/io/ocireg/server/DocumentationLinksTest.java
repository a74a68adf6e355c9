package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every relative link of README.md and docs/*.md points at a file or folder of the repository, and
 * every {@code #anchor} into a Markdown page at one of its headings: the docs link to example code
 * and to each other instead of copying them, so a renamed class or heading must fail here.
 */
class DocumentationLinksTest {
  private static final Path ROOT = Path.of("..");
  private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
  private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6} +(.+?) *$");

  private static List<Path> pages() throws IOException {
    List<Path> pages = new ArrayList<>();
    pages.add(ROOT.resolve("README.md"));
    try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
      docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(pages::add);
    }
    return pages;
  }

  /** The anchors GitHub gives a page's headings. */
  static Set<String> anchors(String markdown) {
    Set<String> out = new HashSet<>();
    // Headings inside fenced code blocks are not headings.
    String text = markdown.replaceAll("(?s)```.*?```", "");
    Matcher m = HEADING.matcher(text);
    while (m.find()) {
      out.add(slug(m.group(1)));
    }
    return out;
  }

  static String slug(String heading) {
    return heading.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
  }

  @Test
  void slugsFollowGitHub() {
    assertThat(slug("Storage layout on disk (`FileSystemStorage`)"))
        .isEqualTo("storage-layout-on-disk-filesystemstorage");
    assertThat(slug("end-4a, end-5, end-6, end-13: blob upload sessions"))
        .isEqualTo("end-4a-end-5-end-6-end-13-blob-upload-sessions");
  }

  @Test
  void everyRelativeLinkResolves() throws IOException {
    List<String> broken = new ArrayList<>();
    for (Path page : pages()) {
      String text = Files.readString(page);
      Matcher m = LINK.matcher(text);
      while (m.find()) {
        String link = m.group(1);
        if (link.matches("^[a-z]+:.*")) {
          continue; // https:, mailto:
        }
        int hash = link.indexOf('#');
        String file = hash < 0 ? link : link.substring(0, hash);
        String anchor = hash < 0 ? null : link.substring(hash + 1);
        Path target = file.isEmpty() ? page : page.getParent().resolve(file).normalize();
        if (!Files.exists(target)) {
          broken.add(page.getFileName() + ": " + link + " (no such file)");
          continue;
        }
        if (anchor != null
            && target.toString().endsWith(".md")
            && !anchors(Files.readString(target)).contains(anchor)) {
          broken.add(page.getFileName() + ": " + link + " (no such heading)");
        }
      }
    }
    assertThat(broken).as("broken links in README.md and docs/").isEmpty();
  }
}
