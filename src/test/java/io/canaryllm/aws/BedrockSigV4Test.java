package io.canaryllm.aws;

import io.canaryllm.testing.SigV4Verifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.signer.Aws4Signer;
import software.amazon.awssdk.auth.signer.params.Aws4SignerParams;
import software.amazon.awssdk.http.SdkHttpFullRequest;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * SigV4 through the AWS SDK's signer ({@link AwsSigV4}) against AWS's published Signature Version 4 test suite
 * (aws-sig-v4-test-suite: credentials AKIDEXAMPLE, region us-east-1, service "service", 2015-08-30T12:36:00Z), and
 * the fake upstream's own verifier ({@link SigV4Verifier}) against the same vectors and against the gateway's
 * signer: it accepts what the signer signs and refuses a tampered request.
 */
class BedrockSigV4Test {
    static final String KEY_ID = "AKIDEXAMPLE";
    static final String SECRET = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
    static final Clock SUITE_TIME = Clock.fixed(Instant.parse("2015-08-30T12:36:00Z"), ZoneOffset.UTC);
    static final AwsCredentialsIdentity SUITE = AwsCredentialsIdentity.create(KEY_ID, SECRET);

    /**
     * The suite's published signatures (the .authz files; each value checked against several independent copies of
     * the suite). Three signers must reproduce them: the fake upstream's verifier, written apart from the SDK; the
     * SDK's {@code Aws4Signer} (same module family, header signing as in the suite); and the gateway's own path, the
     * SDK's {@link software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner}, which always adds and signs
     * {@code x-amz-content-sha256} (a header the suite's requests do not have): its signature over the suite's request
     * plus that header is the one the verifier derives from the suite's canonical request plus that header.
     */
    @ParameterizedTest(name = "{0}")
    @CsvSource({
            "get-vanilla, GET, https://example.amazonaws.com/, 5fa00fa31553b73ebf1942676e86291e8372ff2a2260956d9b8aae1d763fbf31",
            "post-vanilla, POST, https://example.amazonaws.com/, 5da7c1a2acd57cee7505fc6676e4e544621c30862966e37dddb68e92efbe5d6b",
            "get-vanilla-query-order-key-case, GET, https://example.amazonaws.com/?Param2=value2&Param1=value1, b97d918cfa904a5beff61c982a1b6f458b799221646efd99d3219ec94cdf2500"})
    void theSignersReproduceTheSuite(String name, String method, String url, String signature) {
        int q = url.indexOf('?');
        String query = q < 0 ? null : url.substring(q + 1);
        Map<String, String> suiteHeaders = Map.of("host", "example.amazonaws.com", "x-amz-date", "20150830T123600Z");
        SigV4Verifier verifier = new SigV4Verifier(KEY_ID, SECRET);
        assertEquals(signature, verifier.signature(method, "/", query, suiteHeaders, List.of("host", "x-amz-date"),
                new byte[0], "20150830T123600Z", "us-east-1", "service"), name + ": the verifier");

        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-date, Signature=" + signature, legacySdkSigner(method, url), name + ": Aws4Signer");

        Map<String, String> headers = AwsSigV4.sign(SUITE, "us-east-1", "service", method, url, Map.of(), new byte[0], SUITE_TIME);
        assertEquals("20150830T123600Z", headers.get("X-Amz-Date"));
        assertEquals(EMPTY_SHA256, headers.get("x-amz-content-sha256"));
        assertFalse(headers.keySet().stream().anyMatch(h -> h.equalsIgnoreCase("x-amz-security-token")));
        Map<String, String> withHash = new HashMap<>(suiteHeaders);
        withHash.put("x-amz-content-sha256", EMPTY_SHA256);
        String expected = verifier.signature(method, "/", query, withHash, List.of("host", "x-amz-content-sha256", "x-amz-date"),
                new byte[0], "20150830T123600Z", "us-east-1", "service");
        assertEquals("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/service/aws4_request, "
                + "SignedHeaders=host;x-amz-content-sha256;x-amz-date, Signature=" + expected, headers.get("Authorization"),
                name + ": AwsV4HttpSigner");
    }

    static final String EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

    /** The SDK's header signer of the suite's generation, which adds no payload-hash header. */
    @SuppressWarnings("deprecation")
    private static String legacySdkSigner(String method, String url) {
        SdkHttpFullRequest request = SdkHttpFullRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(url))
                .putHeader("Host", "example.amazonaws.com").build();
        SdkHttpFullRequest signed = Aws4Signer.create().sign(request, Aws4SignerParams.builder()
                .awsCredentials(AwsBasicCredentials.create(KEY_ID, SECRET)).signingName("service")
                .signingRegion(Region.US_EAST_1).signingClockOverride(SUITE_TIME).build());
        return signed.firstMatchingHeader("Authorization").orElseThrow();
    }

    @Test
    void theVerifierAcceptsABedrockCallAndRefusesATamperedOne() {
        String url = "https://bedrock-runtime.us-east-1.amazonaws.com/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse";
        byte[] body = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}]}".getBytes(StandardCharsets.UTF_8);
        AwsCredentialsIdentity session = AwsSessionCredentialsIdentity.create(KEY_ID, SECRET, "session-token-1");
        Map<String, String> signed = AwsSigV4.sign(session, "us-east-1", "bedrock", "POST", url, Map.of(), body);
        Map<String, String> sent = new HashMap<>();
        signed.forEach((k, v) -> sent.put(k.toLowerCase(), v));
        sent.put("host", "bedrock-runtime.us-east-1.amazonaws.com");
        assertEquals("session-token-1", sent.get("x-amz-security-token"));
        assertTrue(sent.get("authorization").contains("/us-east-1/bedrock/aws4_request"), sent.get("authorization"));
        assertTrue(sent.get("authorization").contains("x-amz-security-token"), "the session token is signed");

        SigV4Verifier verifier = new SigV4Verifier(KEY_ID, SECRET);
        String path = "/model/us.anthropic.claude-sonnet-4-5-20250929-v1%3A0/converse";
        SigV4Verifier.Verdict ok = verifier.verify("POST", path, null, sent, body);
        assertTrue(ok.ok(), ok.reason());
        assertEquals("bedrock", ok.service());

        byte[] tampered = "{\"messages\":[{\"role\":\"user\",\"content\":[{\"text\":\"HI\"}]}]}".getBytes(StandardCharsets.UTF_8);
        assertFalse(verifier.verify("POST", path, null, sent, tampered).ok(), "another body");
        assertFalse(verifier.verify("POST", path.replace("converse", "converse-stream"), null, sent, body).ok(), "another path");
        Map<String, String> otherHost = new HashMap<>(sent);
        otherHost.put("host", "bedrock-runtime.us-west-2.amazonaws.com");
        assertFalse(verifier.verify("POST", path, null, otherHost, body).ok(), "another host");
        assertFalse(new SigV4Verifier(KEY_ID, "another-secret").verify("POST", path, null, sent, body).ok(), "another secret");
    }
}
