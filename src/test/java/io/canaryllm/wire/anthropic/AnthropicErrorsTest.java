package io.canaryllm.wire.anthropic;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import static org.junit.jupiter.api.Assertions.assertEquals;

class AnthropicErrorsTest {

    @ParameterizedTest(name = "{0} -> {1}")
    @CsvSource({"400,invalid_request_error", "401,authentication_error", "403,permission_error", "404,not_found_error",
            "413,request_too_large", "429,rate_limit_error", "500,api_error", "502,api_error", "504,timeout_error",
            "503,overloaded_error", "529,overloaded_error", "422,invalid_request_error", "599,api_error"})
    void shouldMapStatusToType(int status, String type) {
        assertEquals(type, AnthropicErrors.typeFor(status));
        assertEquals("{\"type\":\"error\",\"error\":{\"type\":\"" + type + "\",\"message\":\"m\"}}", AnthropicErrors.body(status, "m").toString());
    }

    @org.junit.jupiter.api.Test
    void shouldWriteTheInStreamErrorFrame() {
        assertEquals("event: error\ndata: {\"type\":\"error\",\"error\":{\"type\":\"overloaded_error\",\"message\":\"Overloaded\"}}\n\n",
                new String(AnthropicErrors.streamFrame(529, "Overloaded")));
    }
}
