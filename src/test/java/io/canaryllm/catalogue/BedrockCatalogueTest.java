package io.canaryllm.catalogue;

import io.canaryllm.core.Protocol;
import org.junit.jupiter.api.Test;

import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A bedrock provider's AWS settings as the catalogue gives them, per provider and per deployment. */
class BedrockCatalogueTest {
    private static final String DEFAULTS = """
            defaults:
              timeouts: {connectMs: 1000, firstByteMs: 1000, idleMs: 1000, totalMs: 1000}
              breaker: {slidingWindowSize: 10, minimumNumberOfCalls: 5, failureRateThreshold: 50, waitSeconds: 5}
            """;

    private static Catalogue load(String yaml) throws Exception {
        Path file = Files.createTempFile("catalogue", ".yaml");
        Files.writeString(file, DEFAULTS + yaml);
        return CatalogueLoader.load(file);
    }

    @Test
    void regionProfileAndKeyVariablesPerProviderAndDeployment() throws Exception {
        Catalogue c = load("""
                providers:
                  bedrock: {wire: bedrock, region: eu-west-1, profile: prod}
                models:
                  - id: bedrock/amazon.nova-lite
                    upstream: amazon.nova-lite-v1:0
                    deployments:
                      - {provider: bedrock}
                      - {provider: bedrock, name: bedrock-us, region: us-west-2, accessKeyEnv: US_KEY, secretKeyEnv: US_SECRET}
                """);
        ProviderSpec p = c.providers().iterator().next();
        assertEquals(ProviderWire.BEDROCK, p.wire());
        assertEquals(Protocol.BEDROCK, p.wire().protocol());
        assertEquals(ProviderWire.Transport.AWS, p.wire().transport());
        assertEquals(new ProviderSpec.Aws("eu-west-1", "AWS_ACCESS_KEY_ID", "AWS_SECRET_ACCESS_KEY", "AWS_SESSION_TOKEN", "prod"), p.aws());
        Catalogue.Target t = c.resolve("bedrock/amazon.nova-lite");
        assertEquals("amazon.nova-lite-v1:0", t.model().upstream());
        Deployment us = t.model().deployments().get(1);
        assertEquals("bedrock-us", us.name());
        assertEquals(new ProviderSpec.Aws("us-west-2", "US_KEY", "US_SECRET", "AWS_SESSION_TOKEN", "prod"), us.provider().aws());
    }

    @Test
    void awsSettingsBelongToBedrockOnly() {
        var onOpenAi = assertThrows(IllegalStateException.class, () -> load("""
                providers:
                  openai: {wire: openai-chat, baseUrl: "http://x", region: us-east-1}
                models: []
                """));
        assertTrue(onOpenAi.getMessage().contains("providers.openai.region"), onOpenAi.getMessage());
        var apiKey = assertThrows(IllegalStateException.class, () -> load("""
                providers:
                  bedrock: {wire: bedrock, apiKeyEnv: SOME_KEY}
                models: []
                """));
        assertTrue(apiKey.getMessage().contains("AWS credentials"), apiKey.getMessage());
        var header = assertThrows(IllegalStateException.class, () -> load("""
                providers:
                  bedrock: {wire: bedrock, auth: {header: api-key}}
                models: []
                """));
        assertTrue(header.getMessage().contains("providers.bedrock.auth"), header.getMessage());
    }

    @Test
    void otherProvidersHaveNoAwsSettings() throws Exception {
        Catalogue c = load("""
                providers:
                  openai: {wire: openai-chat, baseUrl: "http://x"}
                models: []
                """);
        assertNull(c.providers().iterator().next().aws());
    }
}
