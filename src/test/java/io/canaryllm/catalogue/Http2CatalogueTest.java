package io.canaryllm.catalogue;

import org.junit.jupiter.api.Test;
import org.snakeyaml.engine.v2.api.Load;
import org.snakeyaml.engine.v2.api.LoadSettings;

import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** A provider's {@code http2}: off unless asked for, switched per deployment, refused when it cannot mean anything. */
class Http2CatalogueTest {
    @SuppressWarnings("unchecked")
    private static Catalogue read(String yaml) {
        return CatalogueLoader.fromYaml((Map<String, Object>) new Load(LoadSettings.builder().build()).loadFromString(yaml));
    }

    @Test
    void offByDefaultOnWhenSetAndADeploymentMaySwitchIt() {
        var c = read("""
                providers:
                  openai: {wire: openai-chat, baseUrl: "https://openai.test/v1"}
                  anthropic: {wire: anthropic, baseUrl: "https://anthropic.test", http2: true}
                models:
                  - id: openai/gpt-4.1
                    deployments:
                      - {provider: openai}
                      - {name: openai-h2, provider: openai, http2: true}
                      - {name: anthropic-h1, provider: anthropic, http2: false, upstream: claude-sonnet-4-5}
                """);
        assertFalse(c.provider("openai").orElseThrow().http2());
        assertTrue(c.provider("anthropic").orElseThrow().http2());
        var d = c.resolve("openai/gpt-4.1").model().deployments();
        assertFalse(d.get(0).provider().http2());
        assertTrue(d.get(1).provider().http2());
        assertFalse(d.get(2).provider().http2());
    }

    @Test
    void anythingButTrueOrFalseIsRefused() {
        String message = assertThrows(RuntimeException.class, () -> read("""
                providers:
                  openai: {wire: openai-chat, baseUrl: "https://openai.test/v1", http2: yes-please}
                models: []
                """)).getMessage();
        assertTrue(message.contains("providers.openai.http2 is 'yes-please'"), message);
    }

    @Test
    void theMockProviderHasNoUpstreamToSpeakItTo() {
        String message = assertThrows(RuntimeException.class, () -> read("""
                providers:
                  mock: {wire: mock, auth: none, http2: true}
                models: []
                """)).getMessage();
        assertTrue(message.contains("providers.mock.http2"), message);
    }
}
