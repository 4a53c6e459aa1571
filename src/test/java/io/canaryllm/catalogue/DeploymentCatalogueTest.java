package io.canaryllm.catalogue;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** How the catalogue's {@code deployments}, key lists and {@code aliases} read, and what it refuses with a reason. */
class DeploymentCatalogueTest {
    private static final String PROVIDERS = """
            providers:
              openai: {wire: openai-chat, baseUrl: "http://openai.test/v1", apiKeyEnv: PATH}
              anthropic: {wire: anthropic, baseUrl: "http://anthropic.test"}
            """;

    @SuppressWarnings("unchecked")
    private static Catalogue read(String yaml) {
        return CatalogueLoader.fromYaml((Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml));
    }

    private static void assertRefused(String yaml, String reason) {
        String message = assertThrows(RuntimeException.class, () -> read(yaml)).getMessage();
        assertTrue(message.contains(reason), "expected '" + reason + "' in: " + message);
    }

    @Test
    void aModelWithoutDeploymentsIsServedByItsProvidersOwn() {
        var c = read(PROVIDERS + "models:\n  - {id: openai/gpt-4.1}\n");
        var d = c.resolve("openai/gpt-4.1").model().deployments();
        assertEquals(1, d.size());
        assertEquals("openai", d.get(0).name());
        assertEquals("gpt-4.1", d.get(0).upstream());
        assertEquals(Strategy.WEIGHTED, c.resolve("openai/gpt-4.1").model().strategy());
    }

    @Test
    void deploymentsOverrideProviderFieldsUnderTheirOwnNameAndKeepTheirWeights() {
        var c = read(PROVIDERS + """
                models:
                  - id: openai/gpt-4.1
                    strategy: lowest-latency
                    deployments:
                      - {name: eu, provider: openai, baseUrl: "http://eu.test/v1", weight: 3}
                      - {provider: anthropic, upstream: claude-sonnet-4-5}
                """);
        var model = c.resolve("openai/gpt-4.1").model();
        assertEquals(Strategy.LOWEST_LATENCY, model.strategy());
        var eu = model.deployments().get(0);
        assertEquals("eu", eu.name());
        assertEquals("http://eu.test/v1", eu.provider().baseUrl());
        assertEquals("gpt-4.1", eu.upstream(), "the model's upstream name unless the deployment says otherwise");
        assertEquals(3.0, eu.weight());
        assertTrue(eu.provider().apiKey().isPresent(), "the provider's key variable is kept");
        var claude = model.deployments().get(1);
        assertEquals("anthropic", claude.name(), "no override: the provider's own deployment");
        assertEquals("claude-sonnet-4-5", claude.upstream());
        assertEquals(List.of("openai", "anthropic", "eu"),
                c.deployments().stream().map(Deployment::name).toList(), "one upstream route per deployment");
    }

    @Test
    void aProviderWithSeveralKeysIsOneDeploymentPerSetKeyNumberedByPosition() {
        var c = read("""
                providers:
                  openai: {wire: openai-chat, baseUrl: "http://openai.test/v1", apiKeyEnv: [PATH, CANARY_TEST_UNSET_KEY, HOME]}
                models:
                  - {id: openai/gpt-4.1}
                """);
        var d = c.resolve("openai/gpt-4.1").model().deployments();
        assertEquals(List.of("openai-key1", "openai-key3"), d.stream().map(Deployment::name).toList());
        assertEquals(System.getenv("PATH"), d.get(0).provider().apiKey().orElseThrow());
        assertEquals(System.getenv("HOME"), d.get(1).provider().apiKey().orElseThrow());
        assertEquals(0.5, d.get(0).weight(), "the provider's weight is shared among its keys");
        var one = read("""
                providers:
                  openai: {wire: openai-chat, baseUrl: "http://openai.test/v1", apiKeyEnv: [PATH, CANARY_TEST_UNSET_KEY]}
                models:
                  - {id: openai/gpt-4.1}
                """);
        assertEquals(List.of("openai"), one.deployments().stream().map(Deployment::name).toList(),
                "one key set: the deployment keeps the provider's name");
    }

    @Test
    void anAliasResolvesToItsModelAndAWildcardProviderStillTakesAnyModel() {
        var c = read(PROVIDERS.replace("anthropic.test\"}", "anthropic.test\", anyModel: true}") + """
                aliases: {fast: openai/gpt-4.1}
                models:
                  - {id: openai/gpt-4.1}
                """);
        assertEquals("openai/gpt-4.1", c.resolve("fast").model().id());
        var any = c.resolve("anthropic/claude-new");
        assertEquals("claude-new", any.deployment().upstream());
        assertEquals("anthropic", any.deployment().name());
    }

    @Test
    void aBedrockModelMayBeServedFromTwoRegionsWithTheirOwnCredentials() {
        var c = read("""
                providers:
                  bedrock: {wire: bedrock, region: us-east-1}
                models:
                  - id: bedrock/anthropic.claude-sonnet-4-5
                    upstream: us.anthropic.claude-sonnet-4-5-20250929-v1:0
                    deployments:
                      - {provider: bedrock, weight: 2}
                      - {name: bedrock-eu, provider: bedrock, region: eu-west-1, upstream: eu.anthropic.claude-sonnet-4-5-20250929-v1:0,
                         accessKeyEnv: EU_AWS_KEY, secretKeyEnv: EU_AWS_SECRET}
                """);
        var d = c.resolve("bedrock/anthropic.claude-sonnet-4-5").model().deployments();
        assertEquals(List.of("bedrock", "bedrock-eu"), d.stream().map(Deployment::name).toList());
        assertEquals("us-east-1", d.get(0).provider().aws().region());
        assertEquals("AWS_ACCESS_KEY_ID", d.get(0).provider().aws().accessKeyEnv());
        assertEquals("eu-west-1", d.get(1).provider().aws().region());
        assertEquals("EU_AWS_KEY", d.get(1).provider().aws().accessKeyEnv());
        assertEquals("eu.anthropic.claude-sonnet-4-5-20250929-v1:0", d.get(1).upstream());
        assertRefused("""
                providers:
                  bedrock: {wire: bedrock}
                models:
                  - id: bedrock/x
                    deployments:
                      - {name: b2, provider: bedrock, apiKeyEnv: SOME_KEY}
                """, "signs with AWS credentials");
    }

    @Test
    void mistakesAreRefusedWithTheReason() {
        String models = "models:\n  - id: openai/gpt-4.1\n    deployments:\n";
        assertRefused(PROVIDERS + models + "      - {provider: nobody}\n", "unknown provider nobody");
        assertRefused(PROVIDERS + models + "      - {provider: openai, baseUrl: \"http://x\"}\n", "give it a name");
        assertRefused(PROVIDERS + models + "      - {name: w, provider: openai, wire: anthropic}\n", "cannot change wire");
        assertRefused(PROVIDERS + models + "      - {provider: openai, weight: 0}\n", "weight must be above 0");
        assertRefused(PROVIDERS + models + "      - {name: \"a b\", provider: openai, baseUrl: \"http://x\"}\n", "may hold only");
        assertRefused(PROVIDERS + models + "      - {name: anthropic, provider: openai, baseUrl: \"http://x\"}\n", "has the name of provider anthropic");
        assertRefused(PROVIDERS + "models:\n  - {id: openai/gpt-4.1}\n  - id: openai/b\n    deployments:\n"
                + "      - {name: eu, provider: openai, baseUrl: \"http://x\"}\n"
                + "  - id: openai/c\n    deployments:\n      - {name: eu, provider: openai, baseUrl: \"http://y\"}\n", "two different deployments are named eu");
        assertRefused(PROVIDERS + models + "      - {provider: openai}\n    strategy: fastest\n", "fastest");
        assertRefused(PROVIDERS + "aliases: {fast: openai/nope}\nmodels:\n  - {id: openai/gpt-4.1}\n", "unknown model openai/nope");
        assertRefused(PROVIDERS + "aliases: {openai/gpt-4.1: openai/gpt-4.1}\nmodels:\n  - {id: openai/gpt-4.1}\n", "also a model id");
    }
}
