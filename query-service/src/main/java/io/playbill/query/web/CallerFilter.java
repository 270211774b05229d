package io.playbill.query.web;

import com.fasterxml.jackson.databind.ObjectMapper;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.stereotype.Component;
import org.springframework.web.filter.OncePerRequestFilter;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.Locale;
import java.util.Set;
import java.util.stream.Collectors;

/**
 * The trust boundary. query-service is internal: only the gateway reaches it, after authenticating the user and
 * replacing any client-sent {@code X-Playbill-*} headers with its own. This filter trusts those headers and
 * refuses a request without a user (401) or without the role a path needs (403): {@code /finance/**} needs
 * {@code finance} or {@code admin}, {@code /admin/**} needs {@code admin}. Actuator endpoints (health probes) need
 * nothing. The gateway writes the user id's bytes outside visible ASCII, and {@code %}, as {@code %XX} of its UTF-8,
 * so a header never carries a line break; they are decoded here.
 */
@Component
class CallerFilter extends OncePerRequestFilter {

    static final String USER_HEADER = "X-Playbill-User";
    static final String ROLES_HEADER = "X-Playbill-Roles";
    static final String ATTRIBUTE = Caller.class.getName();
    private static final int MAX_USER_ID_BYTES = 64;

    private final ObjectMapper json;

    CallerFilter(ObjectMapper json) {
        this.json = json;
    }

    @Override
    protected boolean shouldNotFilter(HttpServletRequest request) {
        String path = request.getRequestURI().substring(request.getContextPath().length());
        return path.startsWith("/actuator/") || path.equals("/actuator") || path.equals("/error");
    }

    @Override
    protected void doFilterInternal(HttpServletRequest request, HttpServletResponse response, FilterChain chain)
            throws ServletException, IOException {
        String user = decode(request.getHeader(USER_HEADER));
        if (user == null || user.isBlank() || user.getBytes(StandardCharsets.UTF_8).length > MAX_USER_ID_BYTES) {
            refuse(response, HttpStatus.UNAUTHORIZED, "unauthorized",
                    "No authenticated user: requests reach this service through the gateway, which sets "
                            + USER_HEADER);
            return;
        }
        Caller caller = new Caller(user, roles(request.getHeader(ROLES_HEADER)));
        String path = request.getRequestURI().substring(request.getContextPath().length());
        if (path.startsWith("/finance/") && !caller.hasAnyRole(Caller.FINANCE, Caller.ADMIN)) {
            refuse(response, HttpStatus.FORBIDDEN, "forbidden", "Finance reports need the role finance or admin");
            return;
        }
        if (path.startsWith("/admin/") && !caller.hasAnyRole(Caller.ADMIN)) {
            refuse(response, HttpStatus.FORBIDDEN, "forbidden", "This operation needs the role admin");
            return;
        }
        request.setAttribute(ATTRIBUTE, caller);
        chain.doFilter(request, response);
    }

    /** {@code %XX} escapes to bytes, the bytes as UTF-8; null for an absent or malformed header. */
    static String decode(String header) {
        if (header == null) {
            return null;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(header.length());
        for (int i = 0; i < header.length(); i++) {
            char c = header.charAt(i);
            if (c == '%') {
                if (i + 2 >= header.length() || Character.digit(header.charAt(i + 1), 16) < 0
                        || Character.digit(header.charAt(i + 2), 16) < 0) {
                    return null;
                }
                bytes.write(Integer.parseInt(header.substring(i + 1, i + 3), 16));
                i += 2;
            } else if (c > 0x20 && c < 0x7f) {
                bytes.write(c);
            } else {
                return null;
            }
        }
        CharsetDecoder utf8 = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        try {
            return utf8.decode(ByteBuffer.wrap(bytes.toByteArray())).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    private static Set<String> roles(String header) {
        if (header == null || header.isBlank()) {
            return Set.of();
        }
        return Arrays.stream(header.split(",")).map(role -> role.trim().toLowerCase(Locale.ROOT))
                .filter(role -> !role.isEmpty()).collect(Collectors.toSet());
    }

    private void refuse(HttpServletResponse response, HttpStatus status, String code, String message)
            throws IOException {
        response.setStatus(status.value());
        response.setContentType(MediaType.APPLICATION_JSON_VALUE);
        response.setCharacterEncoding(StandardCharsets.UTF_8.name());
        json.writeValue(response.getOutputStream(), ApiErrorBody.of(code, message));
    }
}
