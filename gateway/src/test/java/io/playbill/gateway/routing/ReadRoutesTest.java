package io.playbill.gateway.routing;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.StubQueryService;
import io.playbill.gateway.support.UserTokens;
import com.auth0.jwt.JWT;
import com.auth0.jwt.interfaces.DecodedJWT;
import io.playbill.trust.CallerAssertion;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.boot.web.context.WebServerApplicationContext;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.http.server.PathContainer;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;
import org.springframework.web.servlet.mvc.method.RequestMappingInfoHandlerMapping;
import org.springframework.web.servlet.mvc.method.annotation.RequestMappingHandlerMapping;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.http.HttpRequest;
import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** Reads forwarded to a stand-in query-service: paths, queries, Accept, the signed caller, roles, pass-through. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {"playbill.billing.mode=none", "playbill.cloud.enabled=false"})
@ActiveProfiles("standalone")
class ReadRoutesTest {

    private static final StubQueryService QUERY_SERVICE = StubQueryService.start();
    private static final String CSV = "day,amount\n2024-03-01,60\n";

    private final String alice = UserTokens.of("alice");
    private final String fiona = UserTokens.of("fiona", "finance");
    private final String root = UserTokens.of("root", "finance", "admin");

    @LocalServerPort
    private int port;

    private GatewayHttp http;

    @DynamicPropertySource
    static void queryService(DynamicPropertyRegistry registry) {
        registry.add("playbill.query-service.url", QUERY_SERVICE::url);
    }

    @AfterAll
    static void stopQueryService() {
        QUERY_SERVICE.close();
    }

    @BeforeEach
    void connect() {
        QUERY_SERVICE.reset();
        http = new GatewayHttp(port);
    }

    @Test
    void aPlayerReadIsForwardedWithoutApiWithItsQueryAcceptAndTheAuthenticatedUser() throws Exception {
        QUERY_SERVICE.answer(200, "text/csv", CSV);

        HttpResult result = http.send(http.request("/api/me/statement?from=2024-03-01&note=a%20b%2Bc&x=1&x=2", alice)
                .header("Accept", "text/csv").GET());

        StubQueryService.Received received = QUERY_SERVICE.next();
        assertThat(received.method()).isEqualTo("GET");
        assertThat(received.path()).isEqualTo("/me/statement");
        // Gateway MVC rebuilds the query from the parameters: same names, values and encoding; a repeated name keeps
        // its order, different names may change places.
        assertThat(received.rawQuery().split("&")).containsExactlyInAnyOrder("from=2024-03-01", "note=a%20b%2Bc",
                "x=1", "x=2");
        assertThat(received.rawQuery().indexOf("x=1")).isLessThan(received.rawQuery().indexOf("x=2"));
        assertThat(received.all("Accept")).containsExactly("text/csv");
        assertThat(received.caller().userId()).isEqualTo("alice");
        assertThat(received.caller().roles()).isEmpty();
        assertThat(received.all("Authorization")).as("the user's token stays at the gateway").isEmpty();
        assertThat(result.status()).isEqualTo(200);
        assertThat(result.header("Content-Type")).startsWith("text/csv");
        assertThat(result.body()).isEqualTo(CSV);
    }

    @Test
    void aQueryValueHoldingAnEqualsSignOrAControlCharacterIsForwardedNotA500() throws Exception {
        // Found by the hostile sweep: Gateway MVC's stripPrefix refused '=' inside a value and the gateway answered 500.
        QUERY_SERVICE.answer(200, "application/json", "{}");

        HttpResult result = http.get("/api/finance/sessions/active?queue=%0D=1&note=a=b", fiona);

        StubQueryService.Received received = QUERY_SERVICE.next();
        assertThat(result.status()).isEqualTo(200);
        assertThat(received.path()).isEqualTo("/finance/sessions/active");
        assertThat(received.rawQuery().split("&")).containsExactlyInAnyOrder("queue=%0D%3D1", "note=a%3Db");
        assertThat(received.caller().path()).isEqualTo("/finance/sessions/active");
    }

    @Test
    void identityHeadersSentByTheClientAreReplacedByOneSignedAssertion() throws Exception {
        http.send(http.request("/api/me/balance", alice)
                .header("X-Playbill-User", "root")
                .header("X-Playbill-User", "fiona")
                .header("x-playbill-roles", "admin")
                .header("X-Playbill-Assertion", UserTokens.of("root", "admin"))
                .header("X-PLAYBILL-Impersonate", "root")
                .header("X-Forwarded-For", "198.51.100.9")
                .GET());

        StubQueryService.Received received = QUERY_SERVICE.next();
        assertThat(received.namesStartingWith("X-Playbill-")).hasSize(1);
        assertThat(received.caller().userId()).isEqualTo("alice");
        assertThat(received.caller().roles()).isEmpty();
        assertThat(received.all("X-Playbill-User")).isEmpty();
        assertThat(received.all("X-Playbill-Roles")).isEmpty();
        assertThat(received.all("X-Forwarded-For")).as("no trusted proxies are configured").isEmpty();
    }

    @Test
    void theAssertionIsSignedForTheRawPathAndMethodForwardedAndLivesThirtySeconds() throws Exception {
        String zoe = UserTokens.of("zoë 100% \"z\"", "finance");

        http.get("/api/finance/users/zo%C3%AB/statement?from=2024-03-01", zoe);
        StubQueryService.Received read = QUERY_SERVICE.next();
        assertThat(read.path()).isEqualTo("/finance/users/zo%C3%AB/statement");
        CallerAssertion caller = read.caller();
        assertThat(caller.userId()).as("any UTF-8, no encoding needed").isEqualTo("zoë 100% \"z\"");
        assertThat(caller.roles()).containsExactly("finance");
        assertThat(caller.path()).isEqualTo("/finance/users/zo%C3%AB/statement");
        DecodedJWT token = JWT.decode(read.all(CallerAssertion.HEADER).get(0));
        assertThat(token.getExpiresAtAsInstant()).isEqualTo(token.getIssuedAtAsInstant().plusSeconds(30));
        assertThat(token.getAudience()).containsExactly("playbill-query-service");
        assertThat(token.getIssuer()).isEqualTo("playbill-gateway");

        http.post("/api/admin/replays/statement", root, "{}");
        CallerAssertion replay = QUERY_SERVICE.next().caller();
        assertThat(replay.method()).isEqualTo("POST");
        assertThat(replay.path()).isEqualTo("/admin/replays/statement");
    }

    @Test
    void financeReadsNeedFinanceOrAdmin() throws Exception {
        assertThat(http.get("/api/finance/daily", alice).errorCode()).isEqualTo("forbidden");
        assertThat(QUERY_SERVICE.receivedNothing()).isTrue();

        assertThat(http.get("/api/finance/daily?day=2024-03-01", fiona).status()).isEqualTo(200);
        StubQueryService.Received byFinance = QUERY_SERVICE.next();
        assertThat(byFinance.path()).isEqualTo("/finance/daily");
        assertThat(byFinance.rawQuery()).isEqualTo("day=2024-03-01");
        assertThat(byFinance.caller().userId()).isEqualTo("fiona");
        assertThat(byFinance.caller().roles()).containsExactly("finance");

        assertThat(http.get("/api/finance/daily", UserTokens.of("ops", "admin", "support")).status()).isEqualTo(200);
        assertThat(QUERY_SERVICE.next().caller().roles()).as("only the roles the gateway grants")
                .containsExactly("admin");
    }

    @Test
    void replaysAndAuditsNeedAdmin() throws Exception {
        assertThat(http.get("/api/admin/audits/latest", fiona).errorCode()).isEqualTo("forbidden");
        assertThat(http.get("/api/admin/replays", alice).errorCode()).isEqualTo("forbidden");
        assertThat(QUERY_SERVICE.receivedNothing()).isTrue();

        assertThat(http.get("/api/admin/audits/latest", root).status()).isEqualTo(200);
        StubQueryService.Received audit = QUERY_SERVICE.next();
        assertThat(audit.path()).isEqualTo("/admin/audits/latest");
        assertThat(audit.caller().roles()).containsExactly("admin", "finance");

        QUERY_SERVICE.answer(202, "application/json", "{\"replay\":\"r-1\"}");
        HttpResult replay = http.post("/api/admin/replays", root, "{\"from\":0}");
        StubQueryService.Received started = QUERY_SERVICE.next();
        assertThat(started.method()).isEqualTo("POST");
        assertThat(started.path()).isEqualTo("/admin/replays");
        assertThat(started.body()).isEqualTo("{\"from\":0}");
        assertThat(replay.status()).isEqualTo(202);
        assertThat(replay.json().get("replay").asText()).isEqualTo("r-1");
    }

    @Test
    void parkedItemsAreTheQueryServicesAndNeedAdmin() throws Exception {
        assertThat(http.get("/api/admin/parked/events", fiona).errorCode()).isEqualTo("forbidden");
        assertThat(QUERY_SERVICE.receivedNothing()).isTrue();

        assertThat(http.get("/api/admin/parked/events?projection=statement", root).status()).isEqualTo(200);
        StubQueryService.Received list = QUERY_SERVICE.next();
        assertThat(list.path()).isEqualTo("/admin/parked/events");
        assertThat(http.post("/api/admin/parked/events/7/retry", root, "{}").status()).isEqualTo(200);
        StubQueryService.Received retry = QUERY_SERVICE.next();
        assertThat(retry.method()).isEqualTo("POST");
        assertThat(retry.path()).isEqualTo("/admin/parked/events/7/retry");
        assertThat(http.get("/api/admin/parked/ledger", root).status()).isEqualTo(200);
        assertThat(QUERY_SERVICE.next().path()).isEqualTo("/admin/parked/ledger");
    }

    @Test
    void queryServiceErrorsPassThroughAsTheyAre() throws Exception {
        QUERY_SERVICE.answer(404, "application/json", "{\"error\":{\"code\":\"no_such_report\",\"message\":\"m\"}}");

        HttpResult result = http.get("/api/me/reports/nope", alice);

        QUERY_SERVICE.next();
        assertThat(result.status()).isEqualTo(404);
        assertThat(result.errorCode()).isEqualTo("no_such_report");
    }

    @Test
    void queryServiceRefusingTheGatewaysIdentityIsA503NotTheUsers401() throws Exception {
        // As while the internal key is rotated: the console signed its user out on a 401, which could not help.
        QUERY_SERVICE.answer(401, "application/json", "{\"error\":{\"code\":\"unauthorized\",\"message\":\"m\"}}");

        HttpResult result = http.get("/api/me/account", alice);

        QUERY_SERVICE.next();
        assertThat(result.status()).as(result.toString()).isEqualTo(503);
        assertThat(result.errorCode()).isEqualTo("query_service_unavailable");
        assertThat(result.header("Retry-After")).isEqualTo("5");
        assertThat(result.header("WWW-Authenticate")).isNull();
    }

    @Test
    void aBodyOverTheLimitIsTooLargeNotAnUnavailableQueryService() {
        QUERY_SERVICE.answer(200, "application/json", "{}");

        // Chunked, so the limit cuts the body off while it is forwarded (a 503 query_service_unavailable before).
        HttpResult result = http.postChunked("/api/me/statement", alice, "{\"pad\":\"" + "x".repeat(9 * 1024) + "\"}");

        assertThat(result.status()).as(result.toString()).isEqualTo(413);
        assertThat(result.errorCode()).isEqualTo("body_too_large");
    }

    @Test
    void aChunkedBodyIsForwardedWithItsLengthNotStreamed() throws Exception {
        // A streamed body raced the JDK client into a NullPointerException (a 500) when query-service answered first.
        String json = "{\"note\":\"" + "y".repeat(3000) + "\"}";
        assertThat(http.postChunked("/api/admin/parked/events/7/skip", root, json).status()).isEqualTo(200);
        StubQueryService.Received skip = QUERY_SERVICE.next();
        assertThat(skip.body()).isEqualTo(json);
        assertThat(skip.all("Content-Length")).containsExactly(String.valueOf(json.length()));
        assertThat(skip.all("Transfer-Encoding")).isEmpty();

        assertThat(http.postChunked("/api/admin/parked/events/7/skip", root, "").status()).isEqualTo(200);
        StubQueryService.Received empty = QUERY_SERVICE.next();
        assertThat(empty.body()).isEmpty();
        assertThat(empty.all("Transfer-Encoding")).isEmpty();
    }

    @Test
    void anUncheckedFailureOfTheHttpClientIsAnIoFailureSoA503() {
        IOException failure = catchThrowableOfType(IOException.class, () -> ReadRoutesConfiguration.clientFailuresAsIo(
                null, new byte[0], (request, body) -> {
                    throw new NullPointerException("this.bodySubscriber is null");
                }));

        assertThat(failure).hasRootCauseInstanceOf(NullPointerException.class);
    }

    @Test
    void aGameCallFindsItsControllerBeforeAnyRouteIsTried(
            @Autowired @Qualifier("requestMappingHandlerMapping") RequestMappingHandlerMapping controllers,
            @Autowired RouterFunctionMapping routes) {
        // The dispatcher asks its handler mappings in this order; Spring MVC's default puts the routes first.
        assertThat(routes.getOrder()).isGreaterThan(controllers.getOrder());
    }

    @Test
    void noControllerAnswersUnderARoutedPath(@Autowired Map<String, RequestMappingInfoHandlerMapping> mappings) {
        List<PathPattern> routed = ReadRoutesConfiguration.ROUTED_PATHS.stream()
                .map(PathPatternParser.defaultInstance::parse).toList();
        List<String> underRoutes = ReadRoutesConfiguration.ROUTED_PATHS.stream()
                .map(path -> path.replace("/**", "/balance")).toList();
        List<String> patterns = mappings.values().stream()
                .flatMap(mapping -> mapping.getHandlerMethods().keySet().stream())
                .flatMap(info -> info.getPatternValues().stream()).toList();
        assertThat(patterns).as("the gateway's own endpoints").contains("/api/game/renew", "/api/admin/prices/{queue}");

        for (String pattern : patterns) {
            String concrete = pattern.replaceAll("\\{[^}]*}", "x").replace("**", "x").replace("*", "x");
            PathPattern controller = PathPatternParser.defaultInstance.parse(pattern);
            assertThat(routed).as("%s lies under a routed path", pattern)
                    .noneMatch(route -> route.matches(PathContainer.parsePath(concrete)));
            assertThat(underRoutes).as("%s takes a routed path", pattern)
                    .noneMatch(path -> controller.matches(PathContainer.parsePath(path)));
        }
    }

    @Test
    void withoutATokenNothingIsForwarded() {
        assertThat(http.get("/api/me/balance", null).status()).isEqualTo(401);
        assertThat(http.send(http.request("/api/me/balance", null).header("X-Playbill-User", "alice")
                .method("GET", HttpRequest.BodyPublishers.noBody())).status()).isEqualTo(401);
        assertThat(QUERY_SERVICE.receivedNothing()).isTrue();
    }

    @Test
    void anUnreachableQueryServiceIsA503InJson() throws Exception {
        // A port bound by a socket that never listens: connecting is refused, and nothing else can take it meanwhile.
        try (Socket portHolder = new Socket()) {
            portHolder.bind(new InetSocketAddress("127.0.0.1", 0));
            try (ConfigurableApplicationContext gateway = new SpringApplicationBuilder(GatewayApplication.class)
                    .profiles("standalone").run("--server.port=0", "--playbill.billing.mode=none",
                            "--playbill.cloud.enabled=false",
                            "--playbill.query-service.url=http://127.0.0.1:" + portHolder.getLocalPort())) {
                GatewayHttp down = new GatewayHttp(((WebServerApplicationContext) gateway).getWebServer().getPort());

                HttpResult result = down.get("/api/me/balance", alice);

                assertThat(result.status()).isEqualTo(503);
                assertThat(result.errorCode()).isEqualTo("query_service_unavailable");
                assertThat(result.header("Retry-After")).isEqualTo("5");
            }
        }
    }
}
