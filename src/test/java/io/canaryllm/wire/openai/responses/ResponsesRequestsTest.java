package io.canaryllm.wire.openai.responses;

import io.canaryllm.testing.Golden;
import io.canaryllm.core.Protocol;
import io.canaryllm.wire.mapping.TranslationException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.canaryllm.canonical.ChatRequest;
import io.canaryllm.canonical.Message;
import io.canaryllm.canonical.Part;
import io.canaryllm.canonical.Reasoning;
import io.canaryllm.canonical.ResponseFormat;
import io.canaryllm.canonical.Role;
import io.canaryllm.canonical.Tool;
import io.canaryllm.canonical.ToolChoice;
import io.canaryllm.core.Json;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** Responses request → canonical (protocols.md 3.1, 3.2, 5.1–5.5, 5.10). */
public class ResponsesRequestsTest {

    public static JsonNode json(String s) {
        try {
            return Json.MAPPER.readTree(s.replace('\'', '"'));
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    public static ResponsesRequests.Decoded decode(String body) {
        return ResponsesRequests.decode(json(body));
    }

    @Test
    void shouldTreatAStringInputAsOneUserMessage() {
        ChatRequest r = ResponsesRequests.toCanonical(json("{'model':'m','input':'Hi','instructions':'Be brief.'}"));
        assertEquals("m", r.model());
        assertEquals(List.of(new Part.Text("Be brief.")), r.system());
        assertEquals(List.of(new Message(Role.USER, List.of(new Part.Text("Hi")))), r.messages());
    }

    @Test
    void shouldHoistInstructionsThenSystemAndDeveloperItemsInOrder() {
        ChatRequest r = decode("{'instructions':'I','input':[{'role':'developer','content':[{'type':'input_text','text':'D1'},"
                + "{'type':'input_text','text':'D2'}]},{'role':'user','content':'U'},{'type':'message','role':'system','content':'S'}]}").request();
        assertEquals(List.of(new Part.Text("I"), new Part.Text("D1"), new Part.Text("D2"), new Part.Text("S")), r.system());
        assertEquals(1, r.messages().size());
    }

    @Test
    void shouldReadImagesAndFilesOfUserMessages() {
        ChatRequest r = decode("{'input':[{'role':'user','content':[{'type':'input_text','text':'see'},"
                + "{'type':'input_image','image_url':'data:image/png;base64,AAAA','detail':'auto'},"
                + "{'type':'input_image','image_url':'https://x/y.jpg'},"
                + "{'type':'input_file','filename':'a.pdf','file_data':'data:application/pdf;base64,JVBE'}]}]}").request();
        List<Part> parts = r.messages().getFirst().parts();
        assertEquals(Part.Image.ofData("image/png", "AAAA"), parts.get(1));
        assertEquals(Part.Image.ofUrl("https://x/y.jpg"), parts.get(2));
        assertEquals(new Part.Document(null, "application/pdf", "JVBE", "a.pdf", null), parts.get(3));
    }

    @Test
    void shouldRejectFileIdsItCannotResolve() {
        TranslationException e = assertThrows(TranslationException.class,
                () -> decode("{'input':[{'role':'user','content':[{'type':'input_image','file_id':'file-1'}]}]}"));
        assertEquals("input", e.param());
    }

    @Test
    void shouldGroupAssistantItemsIntoOneTurnAndResultsIntoTheNext() {
        ChatRequest r = decode("{'input':[{'role':'user','content':'go'},"
                + "{'type':'message','role':'assistant','id':'msg_1','content':[{'type':'output_text','text':'Sure.','annotations':[]}]},"
                + "{'type':'function_call','id':'fc_1','call_id':'call_a','name':'f','arguments':'{}'},"
                + "{'type':'function_call','id':'fc_2','call_id':'call_b','name':'f','arguments':'{\\'x\\':1}'},"
                + "{'type':'function_call_output','call_id':'call_a','output':'A'},"
                + "{'type':'function_call_output','call_id':'call_b','output':[{'type':'input_text','text':'B'}]},"
                + "{'role':'user','content':'next'}],'tools':[{'type':'function','name':'f','parameters':{'type':'object'}}]}").request();
        assertEquals(4, r.messages().size());
        Message assistant = r.messages().get(1);
        assertEquals(Role.ASSISTANT, assistant.role());
        assertEquals(List.of(new Part.Text("Sure."), new Part.ToolCall("call_a", "f", "{}"), new Part.ToolCall("call_b", "f", "{'x':1}".replace('\'', '"'))),
                assistant.parts());
        Message results = r.messages().get(2);
        assertEquals(List.of(new Part.ToolResult("call_a", "f", List.of(new Part.Text("A")), false, null),
                new Part.ToolResult("call_b", "f", List.of(new Part.Text("B")), false, null)), results.parts());
        assertEquals(new Message(Role.USER, List.of(new Part.Text("next"))), r.messages().get(3));
    }

    @Test
    void shouldTurnCustomToolsIntoOneStringArgumentFunctions() {
        ResponsesRequests.Decoded d = decode("{'input':[{'role':'user','content':'x'},"
                + "{'type':'custom_tool_call','call_id':'call_p','name':'apply_patch','input':'*** Begin Patch\\n'},"
                + "{'type':'custom_tool_call_output','call_id':'call_p','output':'ok'}],"
                + "'tools':[{'type':'custom','name':'apply_patch','description':'Edit files.','format':{'type':'grammar','syntax':'lark','definition':'start: x'}}]}");
        assertEquals(Set.of("apply_patch"), d.customTools());
        Tool t = d.request().tools().getFirst();
        assertEquals("apply_patch", t.name());
        assertEquals(Boolean.FALSE, t.strict());
        assertEquals("object", t.inputSchema().path("type").asText());
        assertEquals("string", t.inputSchema().path("properties").path("input").path("type").asText());
        assertTrue(t.inputSchema().path("properties").path("input").path("description").asText().contains("start: x"));
        assertEquals(List.of("input"), List.of(t.inputSchema().path("required").get(0).asText()));
        Part.ToolCall call = (Part.ToolCall) d.request().messages().get(1).parts().getFirst();
        assertEquals("{\"input\":\"*** Begin Patch\\n\"}", call.argumentsJson());
        Part.ToolResult result = (Part.ToolResult) d.request().messages().get(2).parts().getFirst();
        assertEquals("apply_patch", result.name());
    }

    @Test
    void shouldFlattenNamespaceToolsAndRememberTheirNames() {
        ResponsesRequests.Decoded d = decode("{'input':[{'role':'user','content':'x'},"
                + "{'type':'function_call','call_id':'c1','namespace':'multi_agent_v1','name':'close_agent','arguments':'{}'},"
                + "{'type':'function_call_output','call_id':'c1','output':'ok'}],"
                + "'tools':[{'type':'namespace','name':'multi_agent_v1','tools':[{'type':'function','name':'close_agent','parameters':{'type':'object'}},"
                + "{'type':'custom','name':'exec'}]}],"
                + "'tool_choice':{'type':'function','name':'close_agent','namespace':'multi_agent_v1'}}");
        assertEquals(List.of("multi_agent_v1__close_agent", "multi_agent_v1__exec"), d.request().tools().stream().map(Tool::name).toList());
        assertEquals(new ResponsesRequests.ToolName("multi_agent_v1", "close_agent"), d.clientName("multi_agent_v1__close_agent"));
        assertTrue(d.isCustom("multi_agent_v1__exec"));
        assertEquals(new ToolChoice.Named("multi_agent_v1__close_agent"), d.request().toolChoice());
        assertEquals("multi_agent_v1__close_agent", ((Part.ToolCall) d.request().messages().get(1).parts().getFirst()).name());
    }

    @Test
    void shouldKeepFlattenedNamesWithinOpenAiLimits() {
        String ns = "a.very.long.namespace.name.with.dots.and.more.than.enough.characters";
        ResponsesRequests.Decoded d = decode("{'input':'x','tools':[{'type':'namespace','name':'" + ns + "','tools':["
                + "{'type':'function','name':'tool_one'},{'type':'function','name':'tool_two'}]}]}");
        List<String> names = d.request().tools().stream().map(Tool::name).toList();
        for (String n : names) {
            assertTrue(n.length() <= 64, n);
            assertTrue(n.matches("[a-zA-Z0-9_-]+"), n);
        }
        assertEquals(2, Set.copyOf(names).size());
        assertEquals(new ResponsesRequests.ToolName(ns, "tool_two"), d.clientName(names.get(1)));
    }

    @Test
    void shouldDropAndListBuiltInTools() {
        ResponsesRequests.Decoded d = decode("{'input':'x','tools':[{'type':'web_search'},{'type':'function','name':'f'},"
                + "{'type':'file_search','vector_store_ids':[]},{'type':'computer_use_preview'},{'type':'image_generation'},"
                + "{'type':'code_interpreter'},{'type':'local_shell'},{'type':'web_search'}]}");
        assertEquals(List.of("web_search", "file_search", "computer_use_preview", "image_generation", "code_interpreter", "local_shell"),
                d.droppedBuiltins());
        assertEquals(List.of("f"), d.request().tools().stream().map(Tool::name).toList());
    }

    @Test
    void shouldMapEveryToolChoiceForm() {
        String tools = ",'tools':[{'type':'function','name':'f'},{'type':'function','name':'g'},{'type':'custom','name':'p'}]";
        assertEquals(ToolChoice.NONE, decode("{'input':'x','tool_choice':'none'" + tools + "}").request().toolChoice());
        assertEquals(ToolChoice.AUTO, decode("{'input':'x','tool_choice':'auto'" + tools + "}").request().toolChoice());
        assertEquals(ToolChoice.REQUIRED, decode("{'input':'x','tool_choice':'required'" + tools + "}").request().toolChoice());
        assertNull(decode("{'input':'x'" + tools + "}").request().toolChoice());
        assertEquals(new ToolChoice.Named("g"), decode("{'input':'x','tool_choice':{'type':'function','name':'g'}" + tools + "}").request().toolChoice());
        assertEquals(new ToolChoice.Named("p"), decode("{'input':'x','tool_choice':{'type':'custom','name':'p'}" + tools + "}").request().toolChoice());

        ChatRequest subset = decode("{'input':'x','tool_choice':{'type':'allowed_tools','mode':'auto','tools':[{'type':'function','name':'f'},"
                + "{'type':'custom','name':'p'}]}" + tools + "}").request();
        assertEquals(ToolChoice.AUTO, subset.toolChoice());
        assertEquals(List.of("f", "p"), subset.tools().stream().map(Tool::name).toList());
        ChatRequest forced = decode("{'input':'x','tool_choice':{'type':'allowed_tools','mode':'required','tools':[{'type':'function','name':'g'}]}"
                + tools + "}").request();
        assertEquals(new ToolChoice.Named("g"), forced.toolChoice());
        assertEquals(List.of("g"), forced.tools().stream().map(Tool::name).toList());

        assertEquals("tool_choice", assertThrows(TranslationException.class,
                () -> decode("{'input':'x','tool_choice':{'type':'web_search'}" + tools + "}")).param());
        assertEquals("tool_choice", assertThrows(TranslationException.class,
                () -> decode("{'input':'x','tool_choice':{'type':'function','name':'nope'}" + tools + "}")).param());
    }

    @Test
    void shouldMapTheKnobs() {
        ChatRequest r = decode("{'model':'m','input':'x','max_output_tokens':500,'temperature':0.3,'top_p':0.9,'parallel_tool_calls':false,"
                + "'metadata':{'k':'v'},'store':false,'include':['reasoning.encrypted_content'],'prompt_cache_key':'pk','user':'u1',"
                + "'reasoning':{'effort':'high','summary':'auto'},'stream':true,"
                + "'text':{'format':{'type':'json_schema','name':'out','schema':{'type':'object'},'strict':true}}}").request();
        assertEquals(500, r.maxOutputTokens());
        assertEquals(0.3, r.sampling().temperature());
        assertEquals(0.9, r.sampling().topP());
        assertEquals(Boolean.FALSE, r.parallelToolCalls());
        assertEquals(java.util.Map.of("k", "v"), r.metadata());
        assertEquals("u1", r.userId());
        assertEquals(new Reasoning(true, null, "high"), r.reasoning());
        assertTrue(r.stream());
        assertEquals(new ResponseFormat.JsonSchema("out", json("{'type':'object'}"), true), r.responseFormat());
        ObjectNode ext = r.extensions();
        assertFalse(ext.path("store").asBoolean(true));
        assertEquals("pk", ext.path("prompt_cache_key").asText());
        assertEquals("reasoning.encrypted_content", ext.path("include").path(0).asText());

        assertEquals(Reasoning.DISABLED, decode("{'input':'x','reasoning':{'effort':'none'}}").request().reasoning());
        assertNull(decode("{'input':'x','reasoning':{'summary':'auto'}}").request().reasoning());
        assertInstanceOf(ResponseFormat.JsonObject.class, decode("{'input':'x','text':{'format':{'type':'json_object'}}}").request().responseFormat());
        assertNull(decode("{'input':'x','text':{'format':{'type':'text'},'verbosity':'low'}}").request().responseFormat());
    }

    @Test
    void shouldRejectStatefulRequests() {
        assertEquals("previous_response_id", assertThrows(TranslationException.class,
                () -> decode("{'input':'x','previous_response_id':'resp_1'}")).param());
        assertEquals("conversation", assertThrows(TranslationException.class, () -> decode("{'input':'x','conversation':'conv_1'}")).param());
        assertThrows(TranslationException.class, () -> decode("{'input':[{'type':'item_reference','id':'msg_1'}]}"));
    }

    @Test
    void shouldSplicePriorItemsBeforeTheInput() {
        ObjectNode spliced = ResponsesRequests.withPriorItems(json("{'input':'again','previous_response_id':'resp_1'}"),
                List.of(json("{'role':'user','content':'first'}"), json("{'type':'message','role':'assistant','content':[{'type':'output_text','text':'ok'}]}")));
        ChatRequest r = ResponsesRequests.toCanonical(spliced);
        assertEquals(3, r.messages().size());
        assertEquals(new Part.Text("again"), r.messages().get(2).parts().getFirst());
    }

    @Test
    void shouldRejectUnpairedCallsAndResults() {
        assertThrows(TranslationException.class, () -> decode("{'input':[{'type':'function_call_output','call_id':'c9','output':'x'}]}"));
        assertThrows(TranslationException.class, () -> decode("{'input':[{'type':'function_call','call_id':'c9','name':'f','arguments':'{}'}]}"));
    }

    @Test
    void shouldReplayOnlyTheGatewaysOwnReasoning() {
        String mine = ResponsesReasoning.encode(new Part.Thinking("thought", "SIG", null), Protocol.ANTHROPIC);
        ChatRequest r = decode("{'input':[{'role':'user','content':'x'},"
                + "{'type':'reasoning','id':'rs_1','summary':[{'type':'summary_text','text':'foreign'}],'encrypted_content':'gAAAAAB'},"
                + "{'type':'reasoning','id':'rs_2','summary':[],'encrypted_content':'" + mine + "'},"
                + "{'type':'message','role':'assistant','content':[{'type':'output_text','text':'done'}]}]}").request();
        assertEquals(List.of(new Part.Thinking("thought", "canaryllm:anthropic:SIG", null), new Part.Text("done")), r.messages().get(1).parts());
    }

    @Test
    void shouldDefaultStrictToTrueAsTheApiDoes() {
        List<Tool> tools = decode("{'input':'x','tools':[{'type':'function','name':'a','parameters':{'type':'object'}},"
                + "{'type':'function','name':'b','strict':false}]}").request().tools();
        assertEquals(Boolean.TRUE, tools.get(0).strict());
        assertEquals(Boolean.FALSE, tools.get(1).strict());
    }

    @Test
    void shouldReadTheCodexAndPiFixtures() {
        for (String f : List.of("codex-say-hello.shape.json", "codex-tool-shell.shape.json", "pi-responses-tool-bash.shape.json")) {
            ResponsesRequests.Decoded d = ResponsesRequests.decode(json(Golden.read(Golden.CLIENTS.resolve(f))));
            assertFalse(d.request().messages().isEmpty(), f);
            assertFalse(d.request().system().isEmpty(), f);
            for (Tool t : d.request().tools()) assertTrue(t.name().matches("[a-zA-Z0-9_-]{1,64}"), t.name());
        }
        ResponsesRequests.Decoded shell = ResponsesRequests.decode(json(Golden.read(Golden.CLIENTS.resolve("codex-tool-shell.shape.json"))));
        assertEquals(List.of("web_search"), shell.droppedBuiltins());
        assertTrue(shell.namespaced().containsKey("multi_agent_v1__spawn_agent"));
    }
}
