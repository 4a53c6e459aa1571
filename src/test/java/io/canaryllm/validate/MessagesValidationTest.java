package io.canaryllm.validate;

import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.testing.HostileBodies;
import io.canaryllm.testing.HostileBodies.Row;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.List;

import static io.canaryllm.testing.HostileBodies.nested;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * POST /v1/messages (and count_tokens) refuses what Anthropic refuses, before routing, as an Anthropic error whose
 * message names the field (protocols.md 2.1, 2.2, 6.2), and keeps serving after each refusal. Rows whose name
 * starts with "count:" go to /v1/messages/count_tokens.
 */
class MessagesValidationTest {
    private static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";
    private static final String USE = "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"toolu_1\",\"name\":\"f\",\"input\":{}}]}";
    private final TestGateway gw = TestGateway.get();

    private static String body(String extra, String... messages) {
        return "{\"model\":\"mock/echo\",\"max_tokens\":64," + extra + (extra.isEmpty() ? "" : ",")
                + "\"messages\":[" + String.join(",", messages) + "]}";
    }

    private static String with(String extra) { return body(extra, USER); }

    private static String result(String id) {
        return "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"" + id + "\",\"content\":\"r\"}]}";
    }

    static List<Row> rows() {
        String noMax = "{\"model\":\"mock/echo\",\"messages\":[" + USER + "]}";
        return List.of(
                new Row("max_tokens missing", noMax, 400, "max_tokens"),
                new Row("max_tokens zero", with("\"max_tokens\":0").replace("\"max_tokens\":64,", ""), 400, "max_tokens"),
                new Row("max_tokens negative", with("\"max_tokens\":-1").replace("\"max_tokens\":64,", ""), 400, "max_tokens"),
                new Row("max_tokens a string", with("\"max_tokens\":\"10\"").replace("\"max_tokens\":64,", ""), 400, "max_tokens"),
                new Row("max_tokens null", with("\"max_tokens\":null").replace("\"max_tokens\":64,", ""), 400, "max_tokens"),
                new Row("temperature a string", with("\"temperature\":\"hot\""), 400, "temperature"),
                new Row("top_k a decimal", with("\"top_k\":1.5"), 400, "top_k"),
                new Row("system a number", with("\"system\":5"), 400, "system"),
                new Row("system block without type", with("\"system\":[{\"text\":\"x\"}]"), 400, "system[0].type"),
                new Row("stop_sequences a string", with("\"stop_sequences\":\"x\""), 400, "stop_sequences"),
                new Row("stop_sequences of numbers", with("\"stop_sequences\":[1]"), 400, "stop_sequences[0]"),
                new Row("metadata a string", with("\"metadata\":\"x\""), 400, "metadata"),
                new Row("tools a string", with("\"tools\":\"x\""), 400, "tools"),
                new Row("tool name a number", with("\"tools\":[{\"name\":5,\"input_schema\":{\"type\":\"object\"}}]"), 400, "tools[0].name"),
                new Row("tool input_schema a string", with("\"tools\":[{\"name\":\"f\",\"input_schema\":\"{}\"}]"), 400, "tools[0].input_schema"),
                new Row("tool_choice a number", with("\"tool_choice\":5"), 400, "tool_choice"),
                new Row("tool_choice without type", with("\"tool_choice\":{}"), 400, "tool_choice.type"),
                new Row("thinking a string", with("\"thinking\":\"x\""), 400, "thinking"),
                new Row("stream a string", with("\"stream\":\"yes\""), 400, "stream"),
                new Row("messages a string", with("").replace("\"messages\":[" + USER + "]", "\"messages\":\"hi\""), 400, "messages"),
                new Row("no messages", body(""), 400, "messages"),
                new Row("content a number", body("", "{\"role\":\"user\",\"content\":42}"), 400, "messages[0].content"),
                new Row("content null", body("", "{\"role\":\"user\",\"content\":null}"), 400, "messages[0].content"),
                new Row("unknown role", body("", "{\"role\":\"robot\",\"content\":\"hi\"}"), 400, "messages[0].role"),
                new Row("role tool", body("", "{\"role\":\"tool\",\"content\":\"hi\"}"), 400, "messages[0].role"),
                new Row("block without type", body("", "{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}"), 400, "messages[0].content[0].type"),
                new Row("text a number", body("", "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":1}]}"), 400, "messages[0].content[0].text"),
                new Row("tool_use input a string", body("", USER, "{\"role\":\"assistant\",\"content\":[{\"type\":\"tool_use\",\"id\":\"t\",\"name\":\"f\",\"input\":\"{}\"}]}"),
                        400, "messages[1].content[0].input"),
                new Row("tool_result without a call", body("", result("toolu_9")), 400, "messages[0].content[0].tool_use_id"),
                new Row("tool_result answering another call", body("", USER, USE, result("toolu_2")), 400, "messages[2].content[0].tool_use_id"),
                new Row("nested block without type", body("", USER, USE,
                        "{\"role\":\"user\",\"content\":[{\"type\":\"tool_result\",\"tool_use_id\":\"toolu_1\",\"content\":[{\"text\":\"r\"}]}]}"),
                        400, "messages[2].content[0].content[0].type"),
                new Row("system message clear_at unknown", body("", "{\"role\":\"system\",\"content\":\"be brief\",\"clear_at\":\"later\"}", USER),
                        400, "messages[0].clear_at"),
                new Row("system message with an image", body("", "{\"role\":\"system\",\"content\":[{\"type\":\"image\",\"source\":{}}]}", USER),
                        400, "messages[0].content[0]"),
                new Row("system message output_config a string", body("", "{\"role\":\"system\",\"content\":\"x\",\"output_config\":\"high\"}", USER),
                        400, "messages[0].output_config"),
                new Row("5000 nested arrays", with("\"x\":" + nested(5000)), 400, null),
                new Row("a 2000-digit number", with("\"x\":-" + "9".repeat(2000)), 400, null),
                new Row("not JSON", "{\"model\":", 400, null),
                new Row("empty body", "", 400, null),
                new Row("top-level array", "[" + with("") + "]", 400, null),
                new Row("trailing garbage", with("") + "}", 400, null),
                new Row("text/plain", "text/plain", with(""), 415, null),
                new Row("a form", "application/x-www-form-urlencoded", with(""), 415, null),
                new Row("count: content a number", "{\"model\":\"mock/echo\",\"messages\":[{\"role\":\"user\",\"content\":42}]}", 400, "messages[0].content"),
                new Row("count: tools a string", "{\"model\":\"mock/echo\",\"tools\":\"x\",\"messages\":[" + USER + "]}", 400, "tools"),
                // what passes
                new Row("unknown fields pass", body("\"x_future\":{\"a\":[1]},\"temperature\":0.5",
                        "{\"role\":\"user\",\"x\":1,\"content\":[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"x_future_block\",\"v\":2}]}"), 200, null),
                new Row("a tool round trip passes", body("", USER, USE, result("toolu_1")), 200, null),
                new Row("a system-role message passes", body("", "{\"role\":\"system\",\"content\":[{\"type\":\"text\",\"text\":\"be brief\"},"
                        + "{\"type\":\"tool_addition\",\"tools\":[]}],\"clear_at\":\"next_user_message\",\"output_config\":{\"effort\":\"low\"}}", USER), 200, null),
                new Row("count: no max_tokens passes", noMax, 200, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusesInAnthropicFormatAndKeepsServing(Row row) throws Exception {
        String path = row.name().startsWith("count:") ? "/v1/messages/count_tokens" : "/v1/messages";
        HttpResponse<String> r = HostileBodies.post(gw, path, row.contentType(), row.body(),
                "x-api-key", gw.apiKey, "anthropic-version", "2023-06-01");
        assertEquals(row.status(), r.statusCode(), r.body());
        if (row.status() != 200) {
            assertTrue(r.headers().firstValue("content-type").orElse("").startsWith("application/json"));
            JsonNode answer = TestGateway.json(r.body());
            assertEquals("error", answer.path("type").asText(), r.body());
            assertEquals("invalid_request_error", answer.path("error").path("type").asText(), r.body());
            String message = answer.path("error").path("message").asText();
            assertTrue(!message.isBlank(), r.body());
            if (row.field() != null) assertTrue(message.contains(row.field()), r.body());
            if (row.name().equals("max_tokens missing")) assertEquals("max_tokens is required", message);
        }
        HttpResponse<String> ok = HostileBodies.post(gw, "/v1/messages", HostileBodies.JSON, with(""),
                "x-api-key", gw.apiKey, "anthropic-version", "2023-06-01");
        assertEquals(200, ok.statusCode(), "the gateway keeps serving: " + ok.body());
    }
}
