package io.playbill.gateway.web;

import jakarta.servlet.FilterChain;
import jakarta.servlet.ReadListener;
import jakarta.servlet.ServletException;
import jakarta.servlet.ServletInputStream;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.core.Ordered;
import org.springframework.core.annotation.Order;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.Charset;
import java.nio.charset.StandardCharsets;
import java.util.Set;

/**
 * Refuses request bodies over their endpoint's limit before anything parses them or verifies a token. Every gateway
 * request is a small JSON object ({@link #MAX_BODY_BYTES}) except a cloud game's start, which carries the SDK's
 * ClientSession: Base64 of the browser's whole SDP offer, about 8 KiB and more with more codecs
 * ({@link #MAX_START_BODY_BYTES}). A declared {@code Content-Length} over the limit is answered 413 at once; a body
 * without one (chunked) is cut off while it is read, which surfaces as a {@link BodyTooLargeException} and the same
 * 413.
 */
@Component
@Order(Ordered.HIGHEST_PRECEDENCE + 10)
public class RequestBodyLimitFilter extends OncePerRequestFilter {

    public static final int MAX_BODY_BYTES = 8 * 1024;
    public static final int MAX_START_BODY_BYTES = 64 * 1024;

    /**
     * The POST endpoints whose body carries a ClientSession: ours, the official v1 demo's and the v2 demo's (which
     * may send one with {@code /Enqueue} too). Matched exactly: any other spelling gets the small limit.
     */
    static final Set<String> START_PATHS = Set.of("/api/cloud/start", "/StartCloudGame", "/StartGame", "/Enqueue");

    private final JsonErrorWriter errors;

    public RequestBodyLimitFilter(JsonErrorWriter errors) {
        this.errors = errors;
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        int limit = limitOf(request);
        long declared = request.getContentLengthLong();
        if (declared > limit) {
            errors.write(response, HttpStatus.PAYLOAD_TOO_LARGE, ErrorCodes.BODY_TOO_LARGE,
                    new BodyTooLargeException(limit).getMessage());
            return;
        }
        chain.doFilter(declared >= 0 ? request : new LimitedBodyRequest(request, limit), response);
    }

    static int limitOf(HttpServletRequest request) {
        boolean start = "POST".equals(request.getMethod())
                && START_PATHS.contains(request.getRequestURI().substring(request.getContextPath().length()));
        return start ? MAX_START_BODY_BYTES : MAX_BODY_BYTES;
    }

    /** A request whose body stream fails once more than {@code limit} bytes have been read. */
    private static final class LimitedBodyRequest extends HttpServletRequestWrapper {

        private final int limit;
        private ServletInputStream body;

        LimitedBodyRequest(HttpServletRequest request, int limit) {
            super(request);
            this.limit = limit;
        }

        @Override
        public ServletInputStream getInputStream() throws IOException {
            if (body == null) {
                body = new LimitedInputStream(super.getInputStream(), limit);
            }
            return body;
        }

        @Override
        public BufferedReader getReader() throws IOException {
            String encoding = getCharacterEncoding();
            Charset charset = encoding == null ? StandardCharsets.UTF_8 : Charset.forName(encoding);
            return new BufferedReader(new InputStreamReader(getInputStream(), charset));
        }
    }

    private static final class LimitedInputStream extends ServletInputStream {

        private final ServletInputStream delegate;
        private final int limit;
        private long read;

        LimitedInputStream(ServletInputStream delegate, int limit) {
            this.delegate = delegate;
            this.limit = limit;
        }

        @Override
        public int read() throws IOException {
            int b = delegate.read();
            if (b >= 0) {
                count(1);
            }
            return b;
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            int n = delegate.read(buffer, offset, length);
            if (n > 0) {
                count(n);
            }
            return n;
        }

        private void count(int n) throws BodyTooLargeException {
            read += n;
            if (read > limit) {
                throw new BodyTooLargeException(limit);
            }
        }

        @Override
        public boolean isFinished() {
            return delegate.isFinished();
        }

        @Override
        public boolean isReady() {
            return delegate.isReady();
        }

        @Override
        public void setReadListener(ReadListener listener) {
            delegate.setReadListener(listener);
        }
    }
}
