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
 * POST /v1/responses refuses what OpenAI refuses, before routing, as an OpenAI error naming the field in
 * {@code param} (protocols.md 3.1, 3.2, 6.1, 6.4), and keeps serving after each refusal.
 */
class ResponsesValidationTest {
    private static final String PATH = "/v1/responses";
    private static final String USER = "{\"role\":\"user\",\"content\":\"hi\"}";
    private static final String CALL = "{\"type\":\"function_call\",\"call_id\":\"call_1\",\"name\":\"f\",\"arguments\":\"{}\"}";
    private final TestGateway gw = TestGateway.get();

    private static String body(String extra, String... items) {
        return "{\"model\":\"mock/echo\"," + extra + (extra.isEmpty() ? "" : ",") + "\"input\":[" + String.join(",", items) + "]}";
    }

    private static String with(String extra) { return body(extra, USER); }

    private static String output(String type, String id) {
        return "{\"type\":\"" + type + "\",\"call_id\":\"" + id + "\",\"output\":\"r\"}";
    }

    static List<Row> rows() {
        return List.of(
                new Row("input a number", "{\"model\":\"mock/echo\",\"input\":5}", 400, "input"),
                new Row("instructions a number", with("\"instructions\":5"), 400, "instructions"),
                new Row("previous_response_id a number", with("\"previous_response_id\":5"), 400, "previous_response_id"),
                new Row("conversation a number", with("\"conversation\":5"), 400, "conversation"),
                new Row("max_output_tokens a string", with("\"max_output_tokens\":\"10\""), 400, "max_output_tokens"),
                new Row("max_output_tokens zero", with("\"max_output_tokens\":0"), 400, "max_output_tokens"),
                new Row("temperature a string", with("\"temperature\":\"hot\""), 400, "temperature"),
                new Row("top_p a string", with("\"top_p\":\"x\""), 400, "top_p"),
                new Row("tools a string", with("\"tools\":\"x\""), 400, "tools"),
                new Row("tool without type", with("\"tools\":[{\"name\":\"f\"}]"), 400, "tools[0].type"),
                new Row("tool_choice a number", with("\"tool_choice\":5"), 400, "tool_choice"),
                new Row("text a string", with("\"text\":\"x\""), 400, "text"),
                new Row("reasoning a string", with("\"reasoning\":\"high\""), 400, "reasoning"),
                new Row("include a string", with("\"include\":\"x\""), 400, "include"),
                new Row("metadata a string", with("\"metadata\":\"x\""), 400, "metadata"),
                new Row("store a string", with("\"store\":\"yes\""), 400, "store"),
                new Row("stream a string", with("\"stream\":\"yes\""), 400, "stream"),
                new Row("item without type or role", body("", "{\"content\":\"hi\"}"), 400, "input[0].type"),
                new Row("item a string", body("", "\"hi\""), 400, "input[0]"),
                new Row("unknown role", body("", "{\"role\":\"robot\",\"content\":\"hi\"}"), 400, "input[0].role"),
                new Row("message item without role", body("", "{\"type\":\"message\",\"content\":\"hi\"}"), 400, "input[0].role"),
                new Row("content a number", body("", "{\"role\":\"user\",\"content\":42}"), 400, "input[0].content"),
                new Row("part without type", body("", "{\"role\":\"user\",\"content\":[{\"text\":\"hi\"}]}"), 400, "input[0].content[0].type"),
                new Row("input_image url an object", body("", "{\"role\":\"user\",\"content\":[{\"type\":\"input_image\",\"image_url\":{\"url\":\"x\"}}]}"),
                        400, "input[0].content[0].image_url"),
                new Row("function_call arguments an object", body("", USER, "{\"type\":\"function_call\",\"call_id\":\"c\",\"name\":\"f\",\"arguments\":{}}"),
                        400, "input[1].arguments"),
                new Row("function_call_output without a call", body("", USER, output("function_call_output", "call_9")), 400, "input[1].call_id"),
                new Row("custom_tool_call_output without a call", body("", USER, output("custom_tool_call_output", "call_9")), 400, "input[1].call_id"),
                new Row("function_call_output without call_id", body("", USER, "{\"type\":\"function_call_output\",\"output\":\"r\"}"), 400, "input[1].call_id"),
                new Row("function_call_output without output", body("", USER, CALL, "{\"type\":\"function_call_output\",\"call_id\":\"call_1\"}"), 400, "input[2].output"),
                new Row("no input", "{\"model\":\"mock/echo\"}", 400, "input"),
                new Row("5000 nested arrays", with("\"x\":" + nested(5000)), 400, null),
                new Row("5000 nested arrays with previous_response_id", with("\"previous_response_id\":\"resp_1\",\"x\":" + nested(5000)), 400, null),
                new Row("a 2000-digit number", with("\"x\":" + "1".repeat(2000) + ".5"), 400, null),
                new Row("not JSON", "{\"model\":", 400, null),
                new Row("empty body", "", 400, null),
                new Row("top-level array", "[" + with("") + "]", 400, null),
                new Row("trailing garbage", with("") + "]", 400, null),
                new Row("text/plain", "text/plain", with(""), 415, null),
                new Row("a form", "application/x-www-form-urlencoded", with(""), 415, null),
                // what passes
                new Row("an implicit message without type passes", body("", "{\"role\":\"developer\",\"content\":\"be brief\"}", USER), 200, null),
                new Row("unknown fields and items pass", body("\"x_future\":[1],\"instructions\":\"be brief\"",
                        "{\"type\":\"x_future_item\",\"v\":1}", "{\"type\":\"message\",\"role\":\"user\",\"x\":1,\"content\":[{\"type\":\"input_text\",\"text\":\"hi\"}]}"),
                        200, null),
                new Row("a call round trip passes", body("", USER, CALL, output("function_call_output", "call_1"), USER), 200, null),
                new Row("a string input passes", "{\"model\":\"mock/echo\",\"input\":\"hi\"}", 200, null));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("rows")
    void refusesInOpenAiFormatAndKeepsServing(Row row) throws Exception {
        HttpResponse<String> r = HostileBodies.post(gw, PATH, row.contentType(), row.body(), "Authorization", "Bearer " + gw.apiKey);
        assertEquals(row.status(), r.statusCode(), r.body());
        if (row.status() != 200) HostileBodies.assertOpenAiError(r, row.field());
        HttpResponse<String> ok = HostileBodies.post(gw, PATH, HostileBodies.JSON, with(""), "Authorization", "Bearer " + gw.apiKey);
        assertEquals(200, ok.statusCode(), "the gateway keeps serving: " + ok.body());
    }
}
