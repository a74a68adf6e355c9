package io.ocireg.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.springframework.security.crypto.bcrypt.BCrypt;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * The Kubernetes files under docs/k8s that docs/operations.md links: every document parses, the
 * registry's probes point at /livez and /readyz on its container port, the data volume is mounted
 * where the storage setting points, and the Services, the kind cluster and the example Secret agree
 * with the Deployment.
 */
class KubernetesManifestsTest {
  private static final Path DIR = Path.of("..", "docs", "k8s");

  /** Every document of every docs/k8s/*.yaml file, by file name. */
  private static final Map<String, List<Map<String, Object>>> FILES = new LinkedHashMap<>();

  @BeforeAll
  static void parseEveryFile() throws IOException {
    assertThat(DIR).isDirectory();
    try (Stream<Path> files = Files.list(DIR)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".yaml")).sorted().toList()) {
        List<Map<String, Object>> docs = new ArrayList<>();
        Yaml yaml = new Yaml(new SafeConstructor(new LoaderOptions()));
        for (Object doc : yaml.loadAll(Files.readString(f))) {
          if (doc != null) {
            assertThat(doc).as("a document of %s", f).isInstanceOf(Map.class);
            docs.add(map(doc));
          }
        }
        FILES.put(f.getFileName().toString(), docs);
      }
    }
  }

  @SuppressWarnings("unchecked")
  private static Map<String, Object> map(Object o) {
    assertThat(o).isInstanceOf(Map.class);
    return (Map<String, Object>) o;
  }

  @SuppressWarnings("unchecked")
  private static List<Object> list(Object o) {
    assertThat(o).isInstanceOf(List.class);
    return (List<Object>) o;
  }

  /** The value at a dotted path of maps. */
  private static Object at(Map<String, Object> doc, String path) {
    Object o = doc;
    for (String key : path.split("\\.")) {
      o = map(o).get(key);
      assertThat(o).as("%s in %s", path, doc.get("kind")).isNotNull();
    }
    return o;
  }

  private static List<Map<String, Object>> ofKind(String kind) {
    return FILES.values().stream()
        .flatMap(List::stream)
        .filter(d -> kind.equals(d.get("kind")))
        .toList();
  }

  private static Map<String, Object> registryContainer(Map<String, Object> deployment) {
    List<Object> containers = list(at(deployment, "spec.template.spec.containers"));
    return containers.stream()
        .map(KubernetesManifestsTest::map)
        .filter(c -> "ocireg".equals(c.get("name")))
        .findFirst()
        .orElseThrow(() -> new AssertionError("no container named ocireg"));
  }

  /** The value of a flag in the container's args, else of its environment variable. */
  private static Optional<String> setting(Map<String, Object> container, Setting s) {
    Object args = container.get("args");
    if (args != null) {
      List<Object> a = list(args);
      for (int i = 0; i < a.size(); i++) {
        String arg = String.valueOf(a.get(i));
        if (arg.equals(s.flag) && i + 1 < a.size()) {
          return Optional.of(String.valueOf(a.get(i + 1)));
        }
        if (arg.startsWith(s.flag + "=")) {
          return Optional.of(arg.substring(s.flag.length() + 1));
        }
      }
    }
    Object env = container.get("env");
    if (env != null) {
      for (Object e : list(env)) {
        if (s.env.equals(map(e).get("name"))) {
          return Optional.of(String.valueOf(map(e).get("value")));
        }
      }
    }
    return Optional.empty();
  }

  @Test
  void everyFileParsesIntoKubernetesOrKindDocuments() {
    assertThat(FILES)
        .containsKeys(
            "ocireg.yaml", "htpasswd-secret.yaml", "kind-cluster.yaml", "kind-registry.yaml");
    FILES.forEach(
        (file, docs) -> {
          assertThat(docs).as(file).isNotEmpty();
          for (Map<String, Object> d : docs) {
            assertThat(d).as("%s: %s", file, d.get("kind")).containsKeys("apiVersion", "kind");
          }
        });
  }

  @Test
  void probesPointAtLivezAndReadyzOnTheContainerPort() {
    List<Map<String, Object>> deployments = ofKind("Deployment");
    assertThat(deployments).isNotEmpty();
    for (Map<String, Object> d : deployments) {
      Map<String, Object> c = registryContainer(d);
      Map<String, Object> port = map(list(c.get("ports")).get(0));
      int containerPort = ((Number) port.get("containerPort")).intValue();
      int served = Integer.parseInt(setting(c, Setting.PORT).orElse("5000"));
      assertThat(containerPort)
          .as("containerPort is the port the server listens on")
          .isEqualTo(served);

      Map<String, String> probes =
          Map.of("livenessProbe", "/livez", "readinessProbe", "/readyz", "startupProbe", "/livez");
      assertThat(c).containsKeys("livenessProbe", "readinessProbe");
      probes.forEach(
          (probe, path) -> {
            if (!c.containsKey(probe)) {
              return;
            }
            Map<String, Object> get = map(at(map(c.get(probe)), "httpGet"));
            assertThat(get.get("path")).as(probe).isEqualTo(path);
            Object p = get.get("port");
            if (p instanceof Number n) {
              assertThat(n.intValue()).as(probe + " port").isEqualTo(containerPort);
            } else {
              assertThat(p).as(probe + " port name").isEqualTo(port.get("name"));
            }
          });
    }
  }

  @Test
  void dataVolumeIsMountedWhereTheStorageSettingPointsAndComesFromTheClaim() {
    for (Map<String, Object> d : ofKind("Deployment")) {
      Map<String, Object> c = registryContainer(d);
      String storage =
          setting(c, Setting.STORAGE)
              .orElseThrow(
                  () ->
                      new AssertionError(
                          "the Deployment sets --storage or OCIREG_STORAGE (the default ./registry-data is"
                              + " relative to the working directory)"));
      Map<String, Object> mount =
          list(c.get("volumeMounts")).stream()
              .map(KubernetesManifestsTest::map)
              .filter(m -> storage.equals(m.get("mountPath")))
              .findFirst()
              .orElseThrow(() -> new AssertionError("no volume mounted at " + storage));
      Map<String, Object> volume =
          list(at(d, "spec.template.spec.volumes")).stream()
              .map(KubernetesManifestsTest::map)
              .filter(v -> mount.get("name").equals(v.get("name")))
              .findFirst()
              .orElseThrow();
      String claim = String.valueOf(at(volume, "persistentVolumeClaim.claimName"));
      assertThat(ofKind("PersistentVolumeClaim"))
          .extracting(pvc -> at(pvc, "metadata.name"))
          .contains(claim);
      assertThat(at(d, "spec.replicas")).as("one process per storage directory").isEqualTo(1);
      assertThat(at(d, "spec.strategy.type")).isEqualTo("Recreate");

      // A Secret volume the Deployment names is one of the files.
      for (Object v : list(at(d, "spec.template.spec.volumes"))) {
        Object secret = map(v).get("secret");
        if (secret != null) {
          assertThat(ofKind("Secret"))
              .extracting(s -> at(s, "metadata.name"))
              .contains(map(secret).get("secretName"));
        }
      }
    }
  }

  @Test
  void servicesSelectTheRegistryAndTargetItsPort() {
    Map<String, Object> deployment = ofKind("Deployment").get(0);
    Map<String, Object> labels = map(at(deployment, "spec.template.metadata.labels"));
    Map<String, Object> port = map(list(registryContainer(deployment).get("ports")).get(0));
    List<Map<String, Object>> services = ofKind("Service");
    assertThat(services).hasSizeGreaterThanOrEqualTo(2);
    for (Map<String, Object> s : services) {
      assertThat(labels).containsAllEntriesOf(map(at(s, "spec.selector")));
      for (Object p : list(at(s, "spec.ports"))) {
        Object target = map(p).get("targetPort");
        assertThat(target).isIn(port.get("name"), port.get("containerPort"));
      }
    }
  }

  @Test
  void kindMapsTheNodePortToLocalhost5000AndAdvertisesIt() {
    Map<String, Object> cluster = ofKind("Cluster").get(0);
    assertThat(String.valueOf(cluster.get("containerdConfigPatches")))
        .contains("config_path = \"/etc/containerd/certs.d\"");
    Map<String, Object> mapping =
        map(list(map(list(cluster.get("nodes")).get(0)).get("extraPortMappings")).get(0));
    assertThat(mapping.get("hostPort")).isEqualTo(5000);

    Map<String, Object> nodePortService =
        ofKind("Service").stream()
            .filter(s -> "NodePort".equals(at(s, "spec.type")))
            .findFirst()
            .orElseThrow();
    Object nodePort = map(list(at(nodePortService, "spec.ports")).get(0)).get("nodePort");
    assertThat(mapping.get("containerPort")).isEqualTo(nodePort);

    Map<String, Object> hosting =
        ofKind("ConfigMap").stream()
            .filter(m -> "local-registry-hosting".equals(at(m, "metadata.name")))
            .findFirst()
            .orElseThrow();
    assertThat(at(hosting, "metadata.namespace")).isEqualTo("kube-public");
    Map<String, Object> advertised =
        map(
            new Yaml(new SafeConstructor(new LoaderOptions()))
                .load(String.valueOf(map(at(hosting, "data")).get("localRegistryHosting.v1"))));
    assertThat(advertised.get("host")).isEqualTo("localhost:5000");
  }

  @Test
  void exampleSecretIsAnHtpasswdFileTheServerAccepts() {
    Map<String, Object> secret = ofKind("Secret").get(0);
    String text = String.valueOf(at(secret, "stringData.htpasswd"));
    Htpasswd.Users users =
        Htpasswd.parse(DIR.resolve("htpasswd-secret.yaml"), text.lines().toList());
    assertThat(users.hashes()).containsKey("alice");
    assertThat(BCrypt.checkpw("change-me", users.hashes().get("alice"))).isTrue();
  }
}
