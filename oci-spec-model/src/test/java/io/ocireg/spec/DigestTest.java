package io.ocireg.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class DigestTest {
  private static final String SPEC_SHA256 =
      "sha256:6c3c624b58dbbcd3c0dd82b4c53f04194d1247c6eebdaab7c610cf7d66709b3b";
  private static final String ABC_SHA512 =
      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
          + "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f";

  @Test
  void parsesTheSpecSha256Example() {
    Digest d = Digest.parse(SPEC_SHA256);
    assertThat(d.algorithm()).isEqualTo("sha256");
    assertThat(d.encoded()).isEqualTo(SPEC_SHA256.substring(7));
    assertThat(d.isSupported()).isTrue();
    assertThat(d).hasToString(SPEC_SHA256);
  }

  @Test
  void computesSha256OfKnownContent() {
    assertThat(Digest.sha256("abc".getBytes(StandardCharsets.US_ASCII)))
        .hasToString("sha256:ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    assertThat(Digest.sha256(new byte[0]))
        .hasToString("sha256:e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
  }

  @Test
  void supportsSha512() {
    Digest d = Digest.of(Digest.SHA512, "abc".getBytes(StandardCharsets.US_ASCII));
    assertThat(d).hasToString("sha512:" + ABC_SHA512);
    assertThat(Digest.parse("sha512:" + ABC_SHA512)).isEqualTo(d);
    assertThat(d.isSupported()).isTrue();
    assertThat(d.newMessageDigest().getAlgorithm()).isEqualTo("SHA-512");
    assertThat(Digest.fromHash("sha512", d.newMessageDigest().digest("abc".getBytes())))
        .isEqualTo(d);
  }

  @Test
  void emptyJsonDescriptorDigestIsTheSpecValue() {
    assertThat(Digest.sha256("{}".getBytes(StandardCharsets.UTF_8)))
        .hasToString("sha256:44136fa355b3678a1146ad16f7e8649e94fb4fc21fe77e8310c060f61caaff8a");
  }

  /** The image-spec's unregistered examples and its schema tests' alternate algorithms. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        "multihash+base58:QmRZxt2b1FVZPNqd8hsiykDL3TdBDeTSPX9Kv46HmX4Gx8",
        "sha256+b64u:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564",
        "sha256+b64:c86f7763873b6c0aae22d963bab59b4f5debbed6685761b5951584f6efb0633b",
        "sha256+foo-bar:c86f7763873b6c0aae22d963bab59b4f5debbed6685761b5951584f6efb0633b",
        "sha256.foo-bar:c86f7763873b6c0aae22d963bab59b4f5debbed6685761b5951584f6efb0633b",
        "sha256+b64u.unknownlength:LCa0a2j_xo_5m0U8HTBBNBNCLXBkg7-g-YpeiGJm564=",
        "sha384:ABCdef",
      })
  void parsesGrammarValidDigestsOfUnregisteredAlgorithmsAsUnsupported(String s) {
    Digest d = Digest.parse(s);
    assertThat(d).hasToString(s);
    assertThat(d.isSupported()).isFalse();
    assertThatThrownBy(d::newMessageDigest)
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
  }

  /** Invalid digests from the image-spec and its schema tests, and near misses around them. */
  @ParameterizedTest
  @ValueSource(
      strings = {
        ":5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
        "sha256",
        "SHA256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
        "sha256:5B0BCABD1ED22E9FB1310CF6C2DEC7CDEF19F0AD69EFA1F392E94A4333501270",
        "sha256+foo+-b:c86f7763873b6c0aae22d963bab59b4f5debbed6685761b5951584f6efb0633b",
        "sha256:c86f7763873b6c0aaehhhhhhhhhhhhhhhhmmmmmmmmmmmmmmmm22d9h3bab59b4f",
        "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a433350127",
        "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a43335012700",
        "sha512:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
        "sha256:",
        ":",
        "",
        " sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270",
        "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270\n",
        "sha256:5b0bcabd1ed22e9fb1310cf6c2dec7cdef19f0ad69efa1f392e94a4333501270:",
        "+sha256:abc",
        "sha256+:abc",
        "sha256++b64:abc",
        "multihash+base58:Qm.RZ",
        "multihash+base58:Qm/RZ",
        "multihash+base58:Qm+RZ",
      })
  void rejectsDigestsOutsideTheGrammar(String s) {
    assertThatThrownBy(() -> Digest.parse(s))
        .isInstanceOfSatisfying(
            InvalidValueException.class,
            e -> {
              assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
              assertThat(e.input()).isEqualTo(s);
            });
    assertThat(Digest.isValid(s)).isFalse();
  }

  @Test
  void rejectsNull() {
    assertThat(Digest.isValid(null)).isFalse();
    assertThatThrownBy(() -> Digest.parse(null)).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new Digest(null, "abc")).isInstanceOf(InvalidValueException.class);
    assertThatThrownBy(() -> new Digest("sha256", null)).isInstanceOf(InvalidValueException.class);
  }

  @Test
  void rejectionBecomesADigestInvalidRegistryError() {
    InvalidValueException e =
        org.junit.jupiter.api.Assertions.assertThrows(
            InvalidValueException.class, () -> Digest.parse("sha256:nope"));
    RegistryException r = e.toRegistryException();
    assertThat(r.code()).isEqualTo(ErrorCode.DIGEST_INVALID);
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.getMessage()).contains("sha256:nope");
  }

  @Test
  void computingAnUnsupportedAlgorithmIsRefused() {
    assertThatThrownBy(() -> Digest.of("md5", new byte[0]))
        .isInstanceOfSatisfying(
            RegistryException.class, e -> assertThat(e.code()).isEqualTo(ErrorCode.DIGEST_INVALID));
  }
}
