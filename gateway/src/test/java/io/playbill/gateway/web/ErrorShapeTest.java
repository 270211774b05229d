package io.playbill.gateway.web;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;

import java.net.http.HttpRequest;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors Spring raises itself (404, 405, 415, the servlet error page) come out in the gateway's JSON shape. */
class ErrorShapeTest extends NoneModeGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Test
    void anUnknownPathIsNotFound() {
        HttpResult result = http.get("/api/game/nothing-here", alice);

        assertThat(result.status()).isEqualTo(404);
        assertThat(result.errorCode()).isEqualTo("not_found");
    }

    @Test
    void aWrongMethodIsNotAllowed() {
        HttpResult result = http.get("/api/game/renew", alice);

        assertThat(result.status()).isEqualTo(405);
        assertThat(result.errorCode()).isEqualTo("method_not_allowed");
        assertThat(result.header("Allow")).contains("POST");
    }

    @Test
    void aBodyThatIsNotJsonIsAnUnsupportedMediaType() {
        HttpResult result = http.send(http.request("/api/game/renew", alice)
                .header("Content-Type", "text/plain")
                .POST(HttpRequest.BodyPublishers.ofString("session=foobar")));

        assertThat(result.status()).isEqualTo(415);
        assertThat(result.errorCode()).isEqualTo("unsupported_media_type");
    }

    @Test
    void theServletErrorPageIsJsonToo() {
        // The firewall refuses ';' in paths with sendError(400): the container forwards to /error.
        HttpResult result = http.get("/api/game/authToken;jsessionid=1?session=foobar", alice);

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.errorCode()).isEqualTo("bad_request");
        assertThat(result.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void errorsAreJsonEvenWhenTheClientAsksForHtml() {
        HttpResult notFound = http.send(http.request("/api/game/nothing-here", alice).header("Accept", "text/html").GET());
        HttpResult notAcceptable = http.send(http.request("/api/game/renew", alice)
                .header("Accept", "text/html").header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"foobar\",\"lastDeadline\":0}")));

        assertThat(notFound.status()).isEqualTo(404);
        assertThat(notFound.errorCode()).isEqualTo("not_found");
        assertThat(notAcceptable.status()).isEqualTo(406);
        assertThat(notAcceptable.errorCode()).isEqualTo("not_acceptable");
    }

    @Test
    void bodiesOver8KiBAreTooLargeWithOrWithoutContentLength() {
        String big = "{\"session\":\"foobar\",\"lastDeadline\":0,\"pad\":\"" + "x".repeat(8 * 1024) + "\"}";

        HttpResult declared = http.post("/api/game/renew", alice, big);
        HttpResult chunked = http.postChunked("/api/game/renew", alice, big);

        assertThat(declared.status()).isEqualTo(413);
        assertThat(declared.errorCode()).isEqualTo("body_too_large");
        assertThat(chunked.status()).isEqualTo(413);
        assertThat(chunked.errorCode()).isEqualTo("body_too_large");
    }

    @Test
    void bodiesUpTo8KiBAreRead() {
        String prefix = "{\"session\":\"foobar\",\"lastDeadline\":0,\"pad\":\"";
        String exactly8KiB = prefix + "x".repeat(8 * 1024 - prefix.length() - 2) + "\"}";

        assertThat(http.postChunked("/api/game/renew", alice, exactly8KiB).status()).isEqualTo(200);
        assertThat(http.post("/api/game/renew", alice, exactly8KiB).status()).isEqualTo(200);
    }
}
