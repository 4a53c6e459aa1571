package io.canaryllm.translate;

import io.canaryllm.testing.Translators;

import io.canaryllm.core.Protocol;
import io.canaryllm.wire.anthropic.AnthropicRequests;
import io.canaryllm.wire.gemini.GeminiRequests;
import io.canaryllm.wire.mapping.ModelLimits;
import io.canaryllm.wire.mapping.TranslationException;
import io.canaryllm.wire.openai.chat.OpenAiChatRequests;
import io.canaryllm.wire.openai.responses.ResponsesRequests;
import io.canaryllm.wire.openai.responses.ResponsesRequestsTest;
import com.fasterxml.jackson.databind.JsonNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Regression tests for the Responses pitfalls of protocols.md section 8 (9–12, 27–32). */
class ResponsesPitfallsTest {
    private static final ModelLimits CHAT = new ModelLimits(16384, false);
    private static final ModelLimits CLAUDE = new ModelLimits(64000, true);

    private static final String HISTORY = "{'model':'m','store':false,'include':['reasoning.encrypted_content'],'metadata':{'trace':'t1'},"
            + "'input':[{'type':'message','id':'msg_aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa','role':'user','content':'go'},"
            + "{'type':'reasoning','id':'rs_bbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbbb','summary':[],'encrypted_content':'gAAAAABxyz'},"
            + "{'type':'function_call','id':'fc_00a8e88fa6f940ad0168f237f314c08193b9a1bbcfcac14cf0','call_id':'call_3kTB5GwkneSeSzqRU0vGYPDL',"
            + "'name':'add','arguments':'{\\'a\\':2}'},"
            + "{'type':'function_call_output','id':'fco_cccccccccccccccccccccccc','call_id':'call_3kTB5GwkneSeSzqRU0vGYPDL','output':'4'}],"
            + "'tools':[{'type':'function','name':'add','parameters':{'type':'object','properties':{'a':{'type':'number'}}}}]}";

    private static String upstreams(ChatRequest r) {
        return OpenAiChatRequests.fromCanonical(r, "gpt", CHAT) + "\n" + AnthropicRequests.fromCanonical(r, "claude", CLAUDE)
                + "\n" + GeminiRequests.fromCanonical(r, CLAUDE);
    }

    /** 9 and 30: item ids (fc_ 53 chars, msg_, rs_, fco_) never reach an upstream; calls link by call_id. */
    @Test
    void shouldNeverSendItemIdsUpstream() {
        ChatRequest r = ResponsesRequests.toCanonical(ResponsesRequestsTest.json(HISTORY));
        String all = upstreams(r);
        for (String id : new String[] {"fc_00a8", "msg_aaaa", "rs_bbbb", "fco_cccc", "gAAAAAB"}) assertFalse(all.contains(id), id);
        JsonNode chat = OpenAiChatRequests.fromCanonical(r, "gpt", CHAT);
        assertEquals("call_3kTB5GwkneSeSzqRU0vGYPDL", chat.path("messages").path(1).path("tool_calls").path(0).path("id").asText());
        assertEquals("call_3kTB5GwkneSeSzqRU0vGYPDL", chat.path("messages").path(2).path("tool_call_id").asText());
    }

    /** 11: strict defaults to TRUE in Responses; the Chat upstream is told explicitly either way. */
    @Test
    void shouldSendStrictExplicitly() {
        JsonNode chat = OpenAiChatRequests.fromCanonical(ResponsesRequests.toCanonical(ResponsesRequestsTest.json(HISTORY)), "gpt", CHAT);
        assertTrue(chat.path("tools").path(0).path("function").path("strict").asBoolean(false));
    }

    /** 12: flat tool_choice and text.format, string image_url, nested shapes for the Chat upstream. */
    @Test
    void shouldReadTheFlatResponsesShapes() {
        ChatRequest r = ResponsesRequests.toCanonical(ResponsesRequestsTest.json("{'input':[{'role':'user','content':[{'type':'input_image','image_url':'https://x/i.png'}]}],"
                + "'tools':[{'type':'function','name':'f','strict':false}],'tool_choice':{'type':'function','name':'f'},"
                + "'text':{'format':{'type':'json_schema','name':'o','schema':{'type':'object'},'strict':true}}}"));
        JsonNode chat = OpenAiChatRequests.fromCanonical(r, "gpt", CHAT);
        assertEquals("f", chat.path("tool_choice").path("function").path("name").asText());
        assertEquals("o", chat.path("response_format").path("json_schema").path("name").asText());
        assertEquals("https://x/i.png", chat.path("messages").path(0).path("content").path(0).path("image_url").path("url").asText());
    }

    /** 27: when only built-in tools were listed, no upstream gets tools:[] or a tool_choice. */
    @Test
    void shouldSendNoToolsOrToolChoiceWhenOnlyBuiltInsWereListed() {
        ResponsesRequests.Decoded d = ResponsesRequests.decode(ResponsesRequestsTest.json(
                "{'input':'x','tools':[{'type':'web_search'}],'tool_choice':'required','parallel_tool_calls':false}"));
        assertEquals(java.util.List.of("web_search"), d.droppedBuiltins());
        for (String s : upstreams(d.request()).split("\n")) {
            assertFalse(s.contains("\"tools\""), s);
            assertFalse(s.contains("tool_choice") || s.contains("toolConfig"), s);
        }
    }

    /** 28: the client's metadata is not forwarded to OpenAI Chat (it is tied to stored completions). */
    @Test
    void shouldNotForwardMetadataOrStore() {
        JsonNode chat = OpenAiChatRequests.fromCanonical(ResponsesRequests.toCanonical(ResponsesRequestsTest.json(HISTORY)), "gpt", CHAT);
        assertFalse(chat.has("metadata"));
        assertFalse(chat.has("store"));
        assertFalse(chat.has("include"));
    }

    /** 31: previous_response_id without a store is a 400, never silently ignored. */
    @Test
    void shouldRejectPreviousResponseIdUntilResolved() {
        TranslationException e = org.junit.jupiter.api.Assertions.assertThrows(TranslationException.class,
                () -> ResponsesRequests.toCanonical(ResponsesRequestsTest.json("{'input':'x','previous_response_id':'resp_1'}")));
        assertEquals("previous_response_id", e.param());
    }

    /** 32: a Chat upstream's [DONE] does not leak; the Responses stream ends with response.completed. */
    @Test
    void shouldEndWithoutDone() {
        StreamTranslator t = Translators.ofResponses(Protocol.OPENAI_CHAT, "m", null);
        String out = Streams.run(t, Streams.chatChunk("{\"role\":\"assistant\",\"content\":\"Hi\"}", null)
                + Streams.chatChunk("{}", "stop") + Streams.chatUsage(3, 1, 0) + "data: [DONE]\n\n", true);
        assertFalse(out.contains("[DONE]"));
        var events = ResponsesStreamChecks.check(out);
        assertEquals("response.completed", events.getLast().path("type").asText());
        assertTrue(out.endsWith("\n\n"));
        assertEquals(Json.MAPPER.createArrayNode().add("Hi"),
                Json.MAPPER.createArrayNode().add(events.getLast().path("response").path("output").path(0).path("content").path(0).path("text").asText()));
    }
}
