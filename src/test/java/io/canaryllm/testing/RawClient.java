package io.canaryllm.testing;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;

/** A caller that goes away mid-answer, as a closed laptop or a Ctrl-C does: raw HTTP/1.1, so nothing reads on for it. */
public final class RawClient {
    private RawClient() {}

    /**
     * POSTs {@code body} to {@code path}, reads the answer line by line until one contains {@code untilLineContains},
     * and closes the connection there. Returns that line.
     *
     * @param headers name, value, name, value …
     */
    public static String postThenLeave(String baseUrl, String path, String body, String untilLineContains, String... headers)
            throws Exception {
        URI uri = URI.create(baseUrl);
        StringBuilder head = new StringBuilder("POST " + path + " HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n");
        for (int i = 0; i < headers.length; i += 2) head.append(headers[i]).append(": ").append(headers[i + 1]).append("\r\n");
        byte[] bytes = body.getBytes(StandardCharsets.UTF_8);
        head.append("Content-Length: ").append(bytes.length).append("\r\n\r\n");
        try (Socket socket = new Socket(uri.getHost(), uri.getPort())) {
            socket.getOutputStream().write(head.toString().getBytes(StandardCharsets.UTF_8));
            socket.getOutputStream().write(bytes);
            BufferedReader reader = new BufferedReader(new InputStreamReader(socket.getInputStream(), StandardCharsets.UTF_8));
            String line;
            while ((line = reader.readLine()) != null) {
                if (line.contains(untilLineContains)) return line;
            }
            throw new AssertionError("the answer ended before a line with '" + untilLineContains + "'");
        }
    }
}
