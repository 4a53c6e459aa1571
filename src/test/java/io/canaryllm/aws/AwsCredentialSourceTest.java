package io.canaryllm.aws;

import io.canaryllm.core.GatewayError;
import org.junit.jupiter.api.Test;
import software.amazon.awssdk.identity.spi.AwsCredentialsIdentity;
import software.amazon.awssdk.identity.spi.AwsSessionCredentialsIdentity;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** AWS credentials from the provider's variables, else a profile of the shared files, else a clear 501. */
class AwsCredentialSourceTest {

    @Test
    void theProvidersVariablesWin() {
        System.setProperty("BEDROCK_TEST_KEY", "AKIDTEST1");
        System.setProperty("BEDROCK_TEST_SECRET", "secret1");
        try {
            AwsCredentialsIdentity plain = new AwsCredentialSource("BEDROCK_TEST_KEY", "BEDROCK_TEST_SECRET", "BEDROCK_TEST_TOKEN", null).resolve();
            assertEquals("AKIDTEST1", plain.accessKeyId());
            assertFalse(plain instanceof AwsSessionCredentialsIdentity);
            System.setProperty("BEDROCK_TEST_TOKEN", "token1");
            AwsCredentialsIdentity session = new AwsCredentialSource("BEDROCK_TEST_KEY", "BEDROCK_TEST_SECRET", "BEDROCK_TEST_TOKEN", null).resolve();
            assertEquals("token1", assertInstanceOf(AwsSessionCredentialsIdentity.class, session).sessionToken());
        } finally {
            System.clearProperty("BEDROCK_TEST_KEY");
            System.clearProperty("BEDROCK_TEST_SECRET");
            System.clearProperty("BEDROCK_TEST_TOKEN");
        }
    }

    @Test
    void elseTheProfileOfTheSharedFilesElseAClearError() throws Exception {
        Path credentials = Files.createTempFile("aws-credentials", "");
        Files.writeString(credentials, """
                [canary-test-profile]
                aws_access_key_id = AKIDPROFILE
                aws_secret_access_key = profile-secret
                aws_session_token = profile-token
                """);
        String before = System.getProperty("aws.sharedCredentialsFile");
        System.setProperty("aws.sharedCredentialsFile", credentials.toString());
        try {
            AwsCredentialsIdentity id = new AwsCredentialSource("UNSET_KEY_1", "UNSET_SECRET_1", "UNSET_TOKEN_1", "canary-test-profile").resolve();
            assertEquals("AKIDPROFILE", id.accessKeyId());
            assertEquals("profile-token", assertInstanceOf(AwsSessionCredentialsIdentity.class, id).sessionToken());

            GatewayError missing = assertThrows(GatewayError.class,
                    () -> new AwsCredentialSource("UNSET_KEY_1", "UNSET_SECRET_1", "UNSET_TOKEN_1", "no-such-profile").resolve());
            assertEquals(501, missing.status());
            assertTrue(missing.getMessage().contains("UNSET_KEY_1") && missing.getMessage().contains("AWS_PROFILE"), missing.getMessage());
            assertFalse(missing.getMessage().contains("profile-secret"));
        } finally {
            if (before == null) System.clearProperty("aws.sharedCredentialsFile");
            else System.setProperty("aws.sharedCredentialsFile", before);
        }
    }
}
