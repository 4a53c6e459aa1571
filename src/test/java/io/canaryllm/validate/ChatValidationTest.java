package io.canaryllm.validate;

import io.canaryllm.testing.HostileBodies;
import io.canaryllm.testing.HostileBodies.Row;
import io.canaryllm.testing.TestGateway;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import java.net.http.HttpResponse;
import java.util.List;

import static io.canaryllm.testing.HostileBodies.nested;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * POST /v1/chat/completions refuses what OpenAI refuses, before routing, as an OpenAI error naming the field in
 * {@code param} (protocols.md 1.1, 1.2, 6.1), and keeps serving after each refusal.
 */
class ChatValidationTest {
    private static final String PATH = "/v1/chat/completions";
    private static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";
    private static final String CALL = "{\"role\":\"assistant\",\"content\":null,\"tool_calls\":[{\"id\":\"call_1\",\"type\":\"function\","
            + "\"function\":{\"name\":\"f\",\"arguments\":\"{}\"}}]}";
    private final TestGateway gw = TestGateway.get();

    /** A request to mock/echo with {@code extra} top-level fields and these messages. */
    private static String body(String extra, String... messages) {
        return "{\"model\":\"mock/echo\"," + extra + (extra.isEmpty() ? "" : ",") + "\"messages\":[" + String.join(",", messages) + "]}";
    }

    private static String with(String extra) { return body(extra, USER); }

    static List<Row> rows() {
        return List.of(
                new Row("temperature a string", with("\"temperature\":\"hot\""), 400, "temperature"),
                new Row("top_p a string", with("\"top_p\":\"x\""), 400, "top_p"),
                new Row("content a number", body("", "{\"role\":\"user\",\"content\":42}"), 400, "messages[0].content"),
                new Row("user content null", body("", "{\"role\":\"user\",\"content\":null}"), 400, "messages[0].content"),
                new Row("tools a string", with("\"tools\":\"x\""), 400, "tools"),
                new Row("tool without type", with("\"tools\":[{\"function\":{\"name\":\"f\"}}]"), 400, "tools[0].type"),
                new Row("tool name a number", with("\"tools\":[{\"type\":\"function\",\"function\":{\"name\":5}}]"), 400, "tools[0].function.name"),
                new Row("tool_choice a number", with("\"tool_choice\":5"), 400, "tool_choice"),
                new Row("stop a number", with("\"stop\":5"), 400, "stop"),
                new Row("stop list of numbers", with("\"stop\":[1]"), 400, "stop[0]"),
                new Row("n a string", with("\"n\":\"2\""), 400, "n"),
                new Row("n zero", with("\"n\":0"), 400, "n"),
                new Row("max_tokens a string", with("\"max_tokens\":\"10\""), 400, "max_tokens"),
                new Row("max_tokens zero", with("\"max_tokens\":0"), 400, "max_tokens"),
                new Row("max_tokens negative", with("\"max_tokens\":-1"), 400, "max_tokens"),
                new Row("max_tokens a decimal", with("\"max_tokens\":10.5"), 400, "max_tokens"),
                new Row("max_completion_tokens zero", with("\"max_completion_tokens\":0"), 400, "max_completion_tokens"),
                new Row("max_completion_tokens huge", with("\"max_completion_tokens\":123456789012345678901234567890"), 400, "max_completion_tokens"),
                new Row("metadata a string", with("\"metadata\":\"x\""), 400, "metadata"),
                new Row("response_format without type", with("\"response_format\":{\"json\":true}"), 400, "response_format.type"),
                new Row("stream_options a string", with("\"stream_options\":\"x\""), 400, "stream_options"),
                new Row("include_usage a string", with("\"stream\":true,\"stream_options\":{\"include_usage\":\"yes\"}"), 400, "stream_options.include_usage"),
                new Row("tool call without arguments", body("", USER, CALL.replace(",\"arguments\":\"{}\"", "")), 400, "messages[1].tool_calls[0].function.arguments"),
                new Row("tool call without name", body("", USER, CALL.replace("\"name\":\"f\",", "")), 400, "messages[1].tool_calls[0].function.name"),
                new Row("stream a string", with("\"stream\":\"yes\""), 400, "stream"),
                new Row("unknown role", body("", "{\"role\":\"robot\",\"content\":\"hi\"}"), 400, "messages[0].role"),
                new Row("role a number", body("", "{\"role\":5,\"content\":\"hi\"}"), 400, "messages[0].role"),
                new Row("message a string", body("", "\"hi\""), 400, "messages[0]"),
                new Row("part without type", body("", "{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}"), 400, "messages[0].content[0].type"),
                new Row("part text a number", body("", "{\"role\":\"user\",\"content\":[{\"type\":\"text\",\"text\":1}]}"), 400, "messages[0].content[0].text"),
                new Row("image_url a string", body("", "{\"role\":\"user\",\"content\":[{\"type\":\"image_url\",\"image_url\":\"x\"}]}"), 400,
                        "messages[0].content[0].image_url"),
                new Row("tool_calls a string", body("", "{\"role\":\"assistant\",\"tool_calls\":\"x\"}"), 400, "messages[0].tool_calls"),
                new Row("tool message answering no call", body("", USER, "{\"role\":\"tool\",\"tool_call_id\":\"call_9\",\"content\":\"r\"}"), 400,
                        "messages[1].tool_call_id"),
                new Row("tool message answering another call", body("", USER, CALL, "{\"role\":\"tool\",\"tool_call_id\":\"call_2\",\"content\":\"r\"}"), 400,
                        "messages[2].tool_call_id"),
                new Row("tool message without tool_call_id", body("", USER, "{\"role\":\"tool\",\"content\":\"r\"}"), 400, "messages[1].tool_call_id"),
                new Row("no messages", body(""), 400, "messages"),
                new Row("5000 nested arrays", with("\"x\":" + nested(5000)), 400, null),
                new Row("a 2000-digit number", with("\"x\":" + "9".repeat(2000)), 400, null),
                new Row("not JSON", "{\"model\":", 400, null),
                new Row("empty body", "", 400, null),
                new Row("top-level array", "[" + with("") + "]", 400, null),
                new Row("trailing garbage", with("") + " xyz", 400, null),
                new Row("text/plain", "text/plain", with(""), 415, null),
                new Row("a form", "application/x-www-form-urlencoded", with(""), 415, null),
                // what passes
                new Row("unknown fields pass", body("\"x_future\":{\"a\":[1]},\"temperature\":0.5,\"max_tokens\":5",
                        "{\"role\":\"user\",\"x_part\":1,\"content\":[{\"type\":\"text\",\"text\":\"hi\"},{\"type\":\"x_future_part\"}]}"), 200, null),
                new Row("a tool round trip passes", body("", USER, CALL, "{\"role\":\"tool\",\"tool_call_id\":\"call_1\",\"content\":\"r\"}", USER), 200, null),
                new Row("999 nested arrays pass", with("\"x\":" + nested(998)), 200, null),
                new Row("json with charset passes", "application/json; charset=utf-8", with(""), 200, null),
                new Row("no content type passes", null, with(""), 200, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusesInOpenAiFormatAndKeepsServing(Row row) throws Exception {
        HttpResponse<String> r = HostileBodies.post(gw, PATH, row.contentType(), row.body(), "Authorization", "Bearer " + gw.apiKey);
        assertEquals(row.status(), r.statusCode(), r.body());
        if (row.status() != 200) HostileBodies.assertOpenAiError(r, row.field());
        assertEquals(200, gw.chat(with("")).statusCode(), "the gateway keeps serving");
    }
}
