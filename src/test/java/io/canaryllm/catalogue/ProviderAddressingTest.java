package io.canaryllm.catalogue;

import io.canaryllm.core.Protocol;
import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.nio.file.Path;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The catalogue's per-provider {@code auth}, {@code query} and {@code paths}: how they read and what they refuse. */
class ProviderAddressingTest {

    @SuppressWarnings("unchecked")
    private static Catalogue catalogue(String providerYaml) {
        String yaml = """
                defaults:
                  timeouts: {connectMs: 1, firstByteMs: 1, idleMs: 1, totalMs: 1}
                  breaker: {slidingWindowSize: 1, minimumNumberOfCalls: 1, failureRateThreshold: 50, waitSeconds: 1}
                providers:
                  p:
                %s
                models: []
                """.formatted(providerYaml.indent(4).stripTrailing());
        return CatalogueLoader.fromYaml((Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml));
    }

    private static ProviderSpec provider(String yaml) { return catalogue(yaml).provider("p").orElseThrow(); }

    private static String refused(String yaml) {
        return assertThrows(IllegalArgumentException.class, () -> catalogue(yaml)).getMessage();
    }

    @Test
    void theShippedAzureEntryReadsAsConfigurationOnly() {
        ProviderSpec azure = CatalogueLoader.load(Path.of("config/catalogue.yaml")).provider("azure").orElseThrow();
        assertEquals(Protocol.OPENAI_CHAT, azure.wire().protocol());
        assertEquals(ProviderWire.Transport.HTTP, azure.wire().transport());
        assertTrue(azure.responses());
        assertTrue(azure.anyModel());
        assertEquals(ProviderSpec.Auth.header("api-key"), azure.auth());
        assertEquals("/openai/deployments/dep-1/chat/completions", azure.path(Protocol.OPENAI_CHAT, "dep-1").orElseThrow());
        assertEquals("https://r.openai.azure.com/openai/deployments/dep-1/chat/completions?api-version=2024-10-21",
                azure.withQuery("https://r.openai.azure.com" + azure.path(Protocol.OPENAI_CHAT, "dep-1").orElseThrow()));
        assertEquals("https://r.openai.azure.com/openai/responses?api-version=2025-04-01-preview",
                azure.withQuery("https://r.openai.azure.com" + azure.path(Protocol.OPENAI_RESPONSES, "dep-1").orElseThrow()),
                "the Responses path's own api-version wins");
    }

    @Test
    void defaultsLeaveEveryOtherProviderAsItWas() {
        ProviderSpec p = provider("wire: openai-chat\nbaseUrl: https://api.example.com/v1");
        assertEquals(ProviderSpec.Auth.WIRE, p.auth());
        assertTrue(p.path(Protocol.OPENAI_CHAT, "m").isEmpty());
        assertEquals("https://api.example.com/v1/chat/completions", p.withQuery("https://api.example.com/v1/chat/completions"));
        assertEquals(ProviderSpec.Auth.WIRE, provider("wire: anthropic\nauth: bearer").auth());
        assertEquals(ProviderSpec.Auth.NONE, provider("wire: mock\nauth: none").auth());
    }

    @Test
    void queryParametersAreAddedInOrderEncodedAndMergedWithWhatThePathHas() {
        ProviderSpec p = provider("""
                wire: gemini
                query: {api-version: "2024 10", key2: "a&b=c", alt: json}""");
        assertEquals("http://h/x?api-version=2024%2010&key2=a%26b%3Dc&alt=json", p.withQuery("http://h/x"));
        // Gemini streams with ?alt=sse in its path: the path's parameter stays, the others join it
        assertEquals("http://h/m:streamGenerateContent?alt=sse&api-version=2024%2010&key2=a%26b%3Dc",
                p.withQuery("http://h/m:streamGenerateContent?alt=sse"));
    }

    @Test
    void valuesComeFromTheEnvironmentLikeTheRest() {
        System.setProperty("CANARYLLM_TEST_ADDRESSING_VERSION", "2099-01-01");
        try {
            ProviderSpec p = provider("""
                    wire: openai-chat
                    query: {api-version: "${CANARYLLM_TEST_ADDRESSING_VERSION:2024-10-21}"}
                    auth: {header: "${CANARYLLM_TEST_ADDRESSING_HEADER:api-key}"}
                    paths: {openai-chat: "/deployments/{model}/chat?x=${CANARYLLM_TEST_ADDRESSING_X:1}"}""");
            assertEquals("http://h/deployments/d/chat?x=1&api-version=2099-01-01",
                    p.withQuery("http://h" + p.path(Protocol.OPENAI_CHAT, "d").orElseThrow()));
            assertEquals("api-key", p.auth().header());
        } finally {
            System.clearProperty("CANARYLLM_TEST_ADDRESSING_VERSION");
        }
    }

    @Test
    void mistakesAreRefusedAtLoadNamingTheField() {
        assertTrue(refused("wire: openai-chat\nauth: apikey").contains("providers.p.auth is 'apikey'"));
        assertTrue(refused("wire: openai-chat\nauth: {name: api-key}").contains("providers.p.auth takes one field, header"));
        assertTrue(refused("wire: openai-chat\nauth: {header: \"api key\"}").contains("is not an HTTP header name"));
        assertTrue(refused("wire: vertex\nauth: {header: api-key}").contains("service account"));
        assertTrue(refused("wire: mock\nquery: {a: b}").contains("providers.p.query"));
        assertTrue(refused("wire: openai-chat\nquery: {a: [1, 2]}").contains("providers.p.query.a must be a single value"));
        assertTrue(refused("wire: openai-chat\nquery: {\"a&b\": c}").contains("is not a query parameter name"));
        assertTrue(refused("wire: openai-chat\nquery: [a]").contains("providers.p.query must be a mapping"));
        assertTrue(refused("wire: openai-chat\npaths: {chat: /x}").contains("paths are named by wire"));
        assertTrue(refused("wire: openai-chat\npaths: {openai-responses: /openai/responses}").contains("without responses: true"));
        assertTrue(refused("wire: anthropic\npaths: {openai-chat: /x}").contains("wire anthropic makes no openai-chat calls"));
        assertTrue(refused("wire: vertex\npaths: {anthropic: /x}").contains("wire vertex makes no anthropic calls"));
        assertTrue(refused("wire: openai-chat\npaths: {openai-chat: x/chat}").contains("must start with /"));
        assertTrue(refused("wire: openai-chat\npaths: {openai-chat: \"/d/{deployment}/chat\"}")
                .contains("unknown placeholder {deployment} (only {model}"));
        String wrapped = assertThrows(IllegalStateException.class, () -> {
            java.nio.file.Path f = java.nio.file.Files.createTempFile("catalogue", ".yaml");
            java.nio.file.Files.writeString(f, "providers:\n  p: {wire: openai-chat, auth: oauth}\nmodels: []\n");
            CatalogueLoader.load(f);
        }).getMessage();
        assertTrue(wrapped.startsWith("invalid catalogue ") && wrapped.contains("providers.p.auth"), wrapped);
    }
}
