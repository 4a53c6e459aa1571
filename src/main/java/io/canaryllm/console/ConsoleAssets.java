package io.canaryllm.console;

import io.canaryllm.call.CallContext;
import io.canaryllm.call.ResponseBody;
import io.canaryllm.core.ClientProtocol;
import io.canaryllm.core.GatewayError;
import org.apache.camel.Exchange;
import org.apache.camel.Message;
import org.apache.camel.Processor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

/**
 * The console's page, script and style sheet: plain files in the jar ({@code src/main/resources/console/}), read once
 * and served as they are. No build step at run time and nothing fetched from elsewhere: the Content-Security-Policy
 * ({@link ConsoleHeaders}) allows this origin only.
 */
public final class ConsoleAssets {
    /** A flat file name: no path, so nothing outside the console folder can be named. */
    private static final Pattern NAME = Pattern.compile("[a-z0-9-]+\\.(js|css|svg|html)");
    private static final Map<String, String> TYPES = Map.of("js", "text/javascript; charset=utf-8", "css", "text/css; charset=utf-8",
            "svg", "image/svg+xml", "html", "text/html; charset=utf-8");
    private final Map<String, byte[]> cache = new ConcurrentHashMap<>();

    /** {@code GET /console}: the page. */
    public Processor page() {
        return exchange -> serve(exchange, "index.html");
    }

    /** {@code GET /console/static/{file}}. */
    public Processor file() {
        return exchange -> serve(exchange, exchange.getMessage().getHeader("file", String.class));
    }

    private void serve(Exchange exchange, String name) {
        CallContext.open(exchange, ClientProtocol.GATEWAY, "console");
        byte[] bytes = name != null && NAME.matcher(name).matches() ? load(name) : null;
        if (bytes == null) {
            throw new GatewayError(404, "invalid_request_error", "not_found", null, "The console has no file '" + name + "'.", Map.of());
        }
        Message out = exchange.getMessage();
        out.getHeaders().clear();
        out.setHeader(Exchange.HTTP_RESPONSE_CODE, 200);
        out.setHeader(Exchange.CONTENT_TYPE, TYPES.get(name.substring(name.lastIndexOf('.') + 1)));
        out.setBody(ResponseBody.of(bytes));
    }

    private byte[] load(String name) {
        byte[] known = cache.get(name);
        if (known != null) return known;
        try (InputStream in = ConsoleAssets.class.getResourceAsStream("/console/" + name)) {
            if (in == null) return null;
            byte[] bytes = in.readAllBytes();
            cache.put(name, bytes);
            return bytes;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
