package io.canaryllm.aws;

import io.canaryllm.config.Settings;
import io.canaryllm.core.GatewayError;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where one provider's AWS credentials come from, read at each call (a rotated key or session token is picked up
 * without a restart): the access key and secret in the provider's variables ({@code AWS_ACCESS_KEY_ID},
 * {@code AWS_SECRET_ACCESS_KEY} and {@code AWS_SESSION_TOKEN} unless the catalogue names others), else the named
 * profile of the AWS shared files ({@code ~/.aws/credentials}, {@code ~/.aws/config}; the catalogue's {@code profile},
 * else {@code AWS_PROFILE}, else {@code default}). A JVM system property of the same name wins over the environment
 * ({@link Settings}).
 *
 * @param profile null: {@code AWS_PROFILE}, else {@code default}
 */
public record AwsCredentialSource(String accessKeyEnv, String secretKeyEnv, String sessionTokenEnv, String profile) {
    /** The usual AWS variables. */
    public static final String ACCESS_KEY_ID = "AWS_ACCESS_KEY_ID";
    public static final String SECRET_ACCESS_KEY = "AWS_SECRET_ACCESS_KEY";
    public static final String SESSION_TOKEN = "AWS_SESSION_TOKEN";

    /** One profile reader per profile name: it caches the parsed shared files. */
    private static final Map<String, ProfileCredentialsProvider> PROFILES = new ConcurrentHashMap<>();

    /** The credentials to sign with now. */
    public AwsCredentialsIdentity resolve() {
        Optional<String> id = Settings.get(accessKeyEnv);
        Optional<String> secret = Settings.get(secretKeyEnv);
        if (id.isPresent() && secret.isPresent()) {
            Optional<String> token = sessionTokenEnv == null ? Optional.empty() : Settings.get(sessionTokenEnv);
            return token.isPresent()
                    ? AwsSessionCredentialsIdentity.create(id.get(), secret.get(), token.get())
                    : AwsCredentialsIdentity.create(id.get(), secret.get());
        }
        String name = profile != null && !profile.isBlank() ? profile : Settings.get("AWS_PROFILE", "default");
        try {
            return PROFILES.computeIfAbsent(name, n -> ProfileCredentialsProvider.builder().profileName(n).build())
                    .resolveCredentials();
        } catch (RuntimeException e) {
            // the SDK's message names the profile and the files it read, never a secret
            throw new GatewayError(501, "invalid_request_error", "provider_not_configured", "model",
                    "AWS credentials are missing: set " + accessKeyEnv + " and " + secretKeyEnv + " (and " + sessionTokenEnv
                            + " for temporary credentials), or a profile (AWS_PROFILE) in the AWS shared files. ("
                            + e.getMessage() + ")", Map.of());
        }
    }
}
