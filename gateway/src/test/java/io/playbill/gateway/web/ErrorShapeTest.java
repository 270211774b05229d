package io.playbill.gateway.web;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.security.web.FilterChainProxy;
import org.springframework.security.web.firewall.HttpFirewall;
import org.springframework.test.util.ReflectionTestUtils;

import java.net.http.HttpRequest;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** Errors Spring raises itself (404, 405, 415, the servlet error page) come out in the gateway's JSON shape. */
class ErrorShapeTest extends NoneModeGatewayTest {

    private final String alice = UserTokens.of("alice");

    @Autowired
    private FilterChainProxy securityChains;
    @Autowired
    private HttpFirewall firewall;


    @Test
    void anUnknownPathIsNotFound() {
        HttpResult result = http.get("/api/game/nothing-here", alice);

        assertThat(result.status()).isEqualTo(404);
        assertThat(result.errorCode()).isEqualTo("not_found");
    }

    @Test
    void theErrorPathAskedForDirectlyIsNotFound() {
        // Only the container's error dispatch renders an error there; asked for, it answered 500 before.
        HttpResult result = http.get("/error", alice);

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
    void aMalformedFormBodyOfAPutIsAnUnsupportedMediaTypeNotA500() {
        // Found by the hostile sweep: Spring's FormContentFilter parsed PUT/PATCH/DELETE forms and failed on "%%".
        HttpResult result = http.send(http.request("/api/admin/prices/standard", UserTokens.of("root", "admin"))
                .header("Content-Type", "application/x-www-form-urlencoded")
                .PUT(HttpRequest.BodyPublishers.ofString("pricePerMinute=%%")));

        assertThat(result.status()).isEqualTo(415);
        assertThat(result.errorCode()).isEqualTo("unsupported_media_type");
    }

    @Test
    void aBodyKeyThatIsNoFieldNameNeverBecomesPartOfTheErrorCode() {
        // Found by the hostile sweep: Actuator binds any body to a map, and the key sent, control characters and
        // all, became the code "invalid_<key>".
        HttpResult result = http.send(http.request("/actuator/health", alice)
                .header("Content-Type", "application/json")
                .method("GET", HttpRequest.BodyPublishers.ofString("{\")\\u000f\\u0016\":[]}")));

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.errorCode()).isEqualTo("malformed_json");
    }

    @Test
    void aFormPostWithAMalformedEscapeInItsQueryIsRefusedNotA500() {
        // Found by the hostile sweep: Gateway MVC's FormFilter decoded the query of every form POST and failed on '%'.
        HttpResult result = http.rawRequest("POST", "/api/game/renew?%=1", "session=foobar",
                "Authorization: Bearer " + alice, "Content-Type: application/x-www-form-urlencoded");

        assertThat(result.status()).isEqualTo(400);
        assertThat(result.errorCode()).isEqualTo("bad_request");
    }

    @Test
    void whatTheFirewallRefusesIsABadRequestInJson() {
        Map<String, HttpResult> refused = Map.of(
                // Refused before routing; the firewall refuses the error dispatch of an unknown method again (an
                // empty 400 before).
                "a ';' path parameter", http.get("/api/game/authToken;jsessionid=1?session=foobar", alice),
                "an unknown method", http.send(http.request("/api/game/authToken?session=foobar", alice)
                        .method("TRACE", HttpRequest.BodyPublishers.noBody())),
                // Refused when first read, inside Spring MVC: the read routes read every header and parameter (a
                // 500 before).
                "a control character in a header", http.raw("/api/nothing-here", "Authorization: Bearer " + alice,
                        "X-Forwarded-For: 1.2.3.4\u0085"),
                "a control character in a parameter name", http.get("/api/me/account?%01=1", alice));

        refused.forEach((what, answer) -> {
            assertThat(answer.status()).as(what + ": " + answer).isEqualTo(400);
            assertThat(answer.errorCode()).as(what).isEqualTo("bad_request");
            assertThat(answer.header("Content-Type")).as(what).startsWith("application/json");
        });
    }

    @Test
    void theSecurityChainsRefuseWithTheGatewaysFirewall() {
        // Its character checks cost a fraction of the stock firewall's (io.playbill.service.security.Firewalls).
        // The servlet filter is a composite (or two) around the proxy that holds the firewall.
        Object chains = securityChains;
        while (chains.getClass().getSimpleName().equals("CompositeFilterChainProxy")) {
            chains = ReflectionTestUtils.getField(chains, "springSecurityFilterChain");
        }
        assertThat(ReflectionTestUtils.getField(chains, "firewall")).isSameAs(firewall);
    }

    @Test
    void aContentTypeThatNamesNoMediaTypeIsTreatedAsNone() {
        // Spring's request headers throw on a wildcard type once the request's charset is added: a 500 before.
        HttpResult body = http.send(http.request("/api/game/renew", alice).header("Content-Type", "application/*")
                .POST(HttpRequest.BodyPublishers.ofString("{\"session\":\"foobar\",\"lastDeadline\":0}")));
        HttpResult noBody = http.send(http.request("/api/nothing-here", alice).header("Content-Type", "*/*").GET());

        assertThat(body.status()).as(body.toString()).isEqualTo(415);
        assertThat(body.errorCode()).isEqualTo("unsupported_media_type");
        assertThat(noBody.status()).as(noBody.toString()).isEqualTo(404);
        assertThat(noBody.errorCode()).isEqualTo("not_found");
    }

    @Test
    void aWildcardContentTypeOnARequestThatEndsInTheErrorPageIsNoServerError() {
        // Found by HostileSweepTest: the error page's dispatch saw the raw header again, and answered 500.
        HttpResult post = http.send(http.request("/console/", alice).header("Content-Type", "*/*")
                .POST(HttpRequest.BodyPublishers.noBody()));

        assertThat(post.status()).as(post.toString()).isBetween(400, 499);
        assertThat(post.header("Content-Type")).startsWith("application/json");
    }

    @Test
    void whatTomcatRefusesBeforeAnyServletIsJsonToo() {
        // Tomcat's own HTML error page before.
        Map<String, HttpResult> refused = Map.of(
                "a character a URI may not hold", http.raw("/api/game/authToken?session=a|b"),
                "an encoded NUL", http.raw("/api/game/%00"),
                "a request line over the header size limit", http.raw("/api/game/authToken?session=" + "a".repeat(9000)));

        refused.forEach((what, answer) -> {
            assertThat(answer.status()).as(what + ": " + answer).isEqualTo(400);
            assertThat(answer.header("Content-Type")).as(what).startsWith("application/json");
            assertThat(answer.errorCode()).as(what).isEqualTo("bad_request");
        });
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
