package io.playbill.infra.test;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;

/**
 * A GET written byte for byte on a plain socket, for what no conforming HTTP client sends (an encoded NUL, characters
 * a URI may not hold): the servlet container refuses those itself, before any of a service's code runs.
 */
public final class RawHttp {

    /** The status line's code, the Content-Type header (or "") and the body as text. */
    public record Answer(int status, String contentType, String body) {
    }

    public static Answer get(int port, String target) {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(20_000);
            socket.getOutputStream().write(("GET " + target + " HTTP/1.1\r\nHost: 127.0.0.1:" + port
                    + "\r\nConnection: close\r\n\r\n").getBytes(StandardCharsets.UTF_8));
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            int headEnd = answer.indexOf("\r\n\r\n");
            String[] head = answer.substring(0, headEnd).split("\r\n");
            String contentType = "";
            for (String line : head) {
                if (line.regionMatches(true, 0, "Content-Type:", 0, 13)) {
                    contentType = line.substring(13).trim();
                }
            }
            return new Answer(Integer.parseInt(head[0].split(" ")[1]), contentType, answer.substring(headEnd + 4));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private RawHttp() {
    }
}
