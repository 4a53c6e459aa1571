package io.canaryllm.aws;

import software.amazon.awssdk.http.ContentStreamProvider;
import software.amazon.awssdk.http.SdkHttpMethod;
import software.amazon.awssdk.http.SdkHttpRequest;
import software.amazon.awssdk.http.auth.aws.signer.AwsV4HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.HttpSigner;
import software.amazon.awssdk.http.auth.spi.signer.SignedRequest;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;

import java.net.URI;
import java.time.Clock;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Signature Version 4 by the AWS SDK's signer ({@link AwsV4HttpSigner}): the request as it will be sent (method,
 * final URL with its query, body) in, the headers that carry the signature out ({@code Authorization},
 * {@code X-Amz-Date}, {@code X-Amz-Security-Token} for temporary credentials). Signed headers: {@code host} and
 * those the signer adds, plus any given in {@code headers}; {@code Host} itself is not returned (the HTTP client
 * writes it from the same URL). The signer holds no state: one serves every call.
 */
public final class AwsSigV4 {
    private static final AwsV4HttpSigner SIGNER = AwsV4HttpSigner.create();

    private AwsSigV4() {}

    /** Signs for {@code service} in {@code region} at the current time. */
    public static Map<String, String> sign(AwsCredentialsIdentity credentials, String region, String service, String method,
                                           String url, Map<String, String> headers, byte[] body) {
        return sign(credentials, region, service, method, url, headers, body, Clock.systemUTC());
    }

    /** @param clock the signing time (the AWS test suite signs at 2015-08-30T12:36:00Z) */
    public static Map<String, String> sign(AwsCredentialsIdentity credentials, String region, String service, String method,
                                           String url, Map<String, String> headers, byte[] body, Clock clock) {
        SdkHttpRequest.Builder request = SdkHttpRequest.builder().method(SdkHttpMethod.fromValue(method)).uri(URI.create(url));
        headers.forEach(request::putHeader);
        SignedRequest signed = SIGNER.sign(r -> r
                .identity(credentials)
                .request(request.build())
                .payload(body == null || body.length == 0 ? null : ContentStreamProvider.fromByteArrayUnsafe(body))
                .putProperty(AwsV4HttpSigner.SERVICE_SIGNING_NAME, service)
                .putProperty(AwsV4HttpSigner.REGION_NAME, region)
                .putProperty(HttpSigner.SIGNING_CLOCK, clock));
        Map<String, String> out = new LinkedHashMap<>();
        for (Map.Entry<String, List<String>> h : signed.request().headers().entrySet()) {
            if (h.getKey().equalsIgnoreCase("host") || headers.containsKey(h.getKey())) continue;
            out.put(h.getKey(), String.join(",", h.getValue()));
        }
        return out;
    }
}
