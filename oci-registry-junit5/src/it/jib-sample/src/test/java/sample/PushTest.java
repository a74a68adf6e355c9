package sample;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.google.cloud.tools.jib.api.Containerizer;
import com.google.cloud.tools.jib.api.Jib;
import com.google.cloud.tools.jib.api.RegistryImage;
import com.google.cloud.tools.jib.api.buildplan.AbsoluteUnixPath;
import io.ocireg.junit5.OciRegistry;
import io.ocireg.junit5.OciRegistryTest;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

@OciRegistryTest
class PushTest {
  @Test
  void pushesWithJib(OciRegistry registry, @TempDir Path dir) throws Exception {
    Path file = Files.writeString(dir.resolve("hello.txt"), "hello");
    RegistryImage target = RegistryImage.named(registry.imageReference("demo/hello:1"));
    Jib.fromScratch()
        .addLayer(List.of(file), AbsoluteUnixPath.get("/app"))
        .containerize(Containerizer.to(target).setAllowInsecureRegistries(true));
    assertEquals(List.of("1"), registry.tags("demo/hello"));
  }
}
