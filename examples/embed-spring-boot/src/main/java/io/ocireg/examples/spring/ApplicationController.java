package io.ocireg.examples.spring;

import io.ocireg.storage.Storage;
import io.ocireg.storage.StorageException;
import java.security.Principal;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/** The application's own endpoints, served by Spring MVC beside the registry. */
@RestController
class ApplicationController {
  private final Storage registryStorage;

  ApplicationController(Storage registryStorage) {
    this.registryStorage = registryStorage;
  }

  @GetMapping("/hello")
  String hello(Principal user) {
    return "hello, " + user.getName() + "; the registry is at /v2/\n";
  }

  /** Healthy only while the registry can write: the application serves it, so it is part of it. */
  @GetMapping("/health")
  ResponseEntity<String> health() {
    try {
      registryStorage.checkUsable();
      return ResponseEntity.ok("ok\n");
    } catch (StorageException e) {
      return ResponseEntity.status(503).body("registry storage unusable: " + e.getMessage() + "\n");
    }
  }
}
