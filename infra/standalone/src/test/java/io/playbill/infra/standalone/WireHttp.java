package io.playbill.infra.standalone;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Sends one HTTP/1.1 request exactly as the hostile sweep generated it. Whatever the JDK's HTTP client can express
 * goes through it (fixed-length or chunked bodies); a request target or header value no conforming client sends
 * (raw non-ASCII, a malformed percent escape, {@code "<>\{|}}, control characters) goes over a plain socket as the
 * bytes given, because those bytes are what an attacker sends.
 */
final class WireHttp {

    private static final Duration TIMEOUT = Duration.ofSeconds(30);
    private static final HttpClient CLIENT = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(Duration.ofSeconds(5)).followRedirects(HttpClient.Redirect.NEVER).build();

    private WireHttp() {
    }

    /** A request as it goes on the wire: {@code target} is the raw path and query. */
    record Request(String method, String target, List<Header> headers, byte[] body, boolean chunked) {

        /** The transport the request needs: the JDK client when it can send these bytes unchanged. */
        boolean needsRawSocket() {
            return !isPlainAscii(target) || !isUri(target) || headers.stream().anyMatch(h -> !isPlainHeader(h));
        }
    }

    record Header(String name, String value) {
    }

    /** The status, the headers (names lower-case) and the body as received. */
    record Answer(int status, Map<String, List<String>> headers, byte[] body, String transport) {

        String header(String name) {
            List<String> values = headers.get(name.toLowerCase(Locale.ROOT));
            return values == null || values.isEmpty() ? null : values.get(0);
        }

        String text() {
            return new String(body, StandardCharsets.UTF_8);
        }
    }

    static Answer exchange(String baseUrl, Request request) throws IOException, InterruptedException {
        URI base = URI.create(baseUrl);
        return request.needsRawSocket() ? raw(base, request) : jdk(base, request);
    }

    private static Answer jdk(URI base, Request request) throws IOException, InterruptedException {
        HttpRequest.BodyPublisher body;
        if (request.body() == null) {
            body = HttpRequest.BodyPublishers.noBody();
        } else if (request.chunked()) {
            // An unknown length makes the client send the body chunked, without Content-Length.
            body = HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(request.body()));
        } else {
            body = HttpRequest.BodyPublishers.ofByteArray(request.body());
        }
        HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(base + request.target()))
                .timeout(TIMEOUT).method(request.method(), body);
        request.headers().forEach(h -> builder.header(h.name(), h.value()));
        HttpResponse<byte[]> response = CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
        Map<String, List<String>> headers = new LinkedHashMap<>();
        response.headers().map().forEach((name, values) -> headers.put(name.toLowerCase(Locale.ROOT), values));
        return new Answer(response.statusCode(), headers, response.body(), "client");
    }

    private static Answer raw(URI base, Request request) throws IOException {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(base.getHost(), base.getPort()), 5_000);
            socket.setSoTimeout((int) TIMEOUT.toMillis());
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            write(head, request.method() + " " + request.target() + " HTTP/1.1\r\n");
            write(head, "Host: " + base.getHost() + ":" + base.getPort() + "\r\nConnection: close\r\n");
            for (Header header : request.headers()) {
                write(head, header.name() + ": " + header.value() + "\r\n");
            }
            if (request.body() != null) {
                write(head, request.chunked() ? "Transfer-Encoding: chunked\r\n"
                        : "Content-Length: " + request.body().length + "\r\n");
            }
            write(head, "\r\n");
            OutputStream out = socket.getOutputStream();
            try {
                out.write(head.toByteArray());
                if (request.body() != null) {
                    if (request.chunked() && request.body().length > 0) {
                        write(out, Integer.toHexString(request.body().length) + "\r\n");
                        out.write(request.body());
                        write(out, "\r\n");
                    }
                    if (request.chunked()) {
                        write(out, "0\r\n\r\n");
                    } else {
                        out.write(request.body());
                    }
                }
                out.flush();
            } catch (IOException e) {
                // The server may answer (e.g. 413) and close before it reads the whole body: read its answer.
            }
            return parse(socket.getInputStream().readAllBytes());
        }
    }

    /** An HTTP/1.1 response read to the end of the connection. */
    private static Answer parse(byte[] bytes) throws IOException {
        int end = indexOf(bytes, "\r\n\r\n".getBytes(StandardCharsets.US_ASCII), 0);
        if (end < 0) {
            throw new IOException("no complete HTTP response head in " + bytes.length + " bytes");
        }
        String[] lines = new String(bytes, 0, end, StandardCharsets.ISO_8859_1).split("\r\n");
        int status = Integer.parseInt(lines[0].split(" ", 3)[1]);
        Map<String, List<String>> headers = new LinkedHashMap<>();
        for (String line : Arrays.copyOfRange(lines, 1, lines.length)) {
            int colon = line.indexOf(':');
            headers.computeIfAbsent(line.substring(0, colon).trim().toLowerCase(Locale.ROOT), k -> new ArrayList<>())
                    .add(line.substring(colon + 1).trim());
        }
        byte[] body = Arrays.copyOfRange(bytes, end + 4, bytes.length);
        List<String> encoding = headers.get("transfer-encoding");
        if (encoding != null && encoding.contains("chunked")) {
            body = dechunk(body);
        }
        return new Answer(status, headers, body, "raw");
    }

    private static byte[] dechunk(byte[] chunked) throws IOException {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        int at = 0;
        while (true) {
            int lineEnd = indexOf(chunked, new byte[] {'\r', '\n'}, at);
            if (lineEnd < 0) {
                throw new IOException("truncated chunked body");
            }
            String size = new String(chunked, at, lineEnd - at, StandardCharsets.US_ASCII).split(";")[0].trim();
            int length = Integer.parseInt(size, 16);
            if (length == 0) {
                return body.toByteArray();
            }
            body.write(chunked, lineEnd + 2, length);
            at = lineEnd + 2 + length + 2;
        }
    }

    private static int indexOf(byte[] bytes, byte[] needle, int from) {
        outer:
        for (int i = from; i <= bytes.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (bytes[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }

    private static void write(OutputStream out, String text) throws IOException {
        out.write(text.getBytes(StandardCharsets.UTF_8));
    }

    static boolean isPlainAscii(String text) {
        return text.chars().allMatch(c -> c > 0x20 && c < 0x7f);
    }

    private static boolean isUri(String target) {
        try {
            URI uri = new URI("http://localhost" + target);
            return uri.getRawPath() != null && !uri.getRawPath().isEmpty();
        } catch (URISyntaxException e) {
            return false;
        }
    }

    /** What the JDK client sends unchanged: a token name and a printable ASCII value, neither restricted. */
    private static boolean isPlainHeader(Header header) {
        return isPlainAscii(header.name()) && header.value().chars().allMatch(c -> c >= 0x20 && c < 0x7f)
                && !header.value().isEmpty() && !header.value().startsWith(" ") && !header.value().endsWith(" ");
    }
}
