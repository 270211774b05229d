package io.playbill.gateway.routing;

import io.playbill.gateway.web.BodyTooLargeException;
import io.playbill.gateway.web.ErrorCodes;
import io.playbill.service.web.ApiErrorBody;
import io.playbill.trust.AssertionSigner;
import io.playbill.trust.InternalKey;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.cloud.gateway.server.mvc.common.MvcUtils;
import org.springframework.cloud.gateway.server.mvc.config.GatewayMvcProperties;
import org.springframework.cloud.gateway.server.mvc.handler.ProxyExchange;
import org.springframework.cloud.gateway.server.mvc.handler.RestClientProxyExchange;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.NestedExceptionUtils;
import org.springframework.http.HttpHeaders;
import org.springframework.http.HttpRequest;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpRequestExecution;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;
import org.springframework.web.servlet.function.RequestPredicate;
import org.springframework.web.servlet.function.RequestPredicates;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerRequest;
import org.springframework.web.servlet.function.ServerResponse;
import org.springframework.web.servlet.function.support.RouterFunctionMapping;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.util.List;

import static org.springframework.cloud.gateway.server.mvc.filter.BeforeFilterFunctions.uri;
import static org.springframework.cloud.gateway.server.mvc.handler.GatewayRouterFunctions.route;
import static org.springframework.cloud.gateway.server.mvc.handler.HandlerFunctions.http;

/**
 * The gateway stays the one public entry: reads are forwarded to query-service with Spring Cloud Gateway Server MVC,
 * minus the {@code /api} prefix, with query string, {@code Accept}, status and body untouched, and with the identity
 * the gateway authenticated, signed for that one request ({@link TrustedIdentityHeaders}, decision 012). Who may use which route is decided by
 * SecurityConfiguration before routing: {@code /api/me/**} any user, {@code /api/finance/**} finance or admin,
 * {@code /api/admin/replays/**}, {@code /api/admin/audits/**} and {@code /api/admin/parked/**} admin.
 */
@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties({QueryServiceProperties.class, InternalProperties.class})
public class ReadRoutesConfiguration {

    private static final Logger log = LoggerFactory.getLogger(ReadRoutesConfiguration.class);
    private static final String API_PREFIX = "/api";
    /**
     * The paths forwarded to query-service; no controller of the gateway may answer under them. Their calls share
     * the "read" concurrency budget ({@code ConcurrencyBudgets}).
     */
    public static final List<String> ROUTED_PATHS = List.of("/api/me/**", "/api/finance/**", "/api/admin/replays/**",
            "/api/admin/audits/**", "/api/admin/parked/**");
    /** Right after the controllers' mapping (order 0), so a game call never tries the routes. */
    static final int ROUTES_ORDER = 1;

    @Bean
    RouterFunction<ServerResponse> queryServiceRoutes(QueryServiceProperties queryService, InternalProperties internal,
                                                      Clock clock) {
        TrustedIdentityHeaders identity = new TrustedIdentityHeaders(
                new AssertionSigner(InternalKey.of(internal.key()), clock));
        return route("query-service")
                .route(ROUTED_PATHS.stream().map(RequestPredicates::path).reduce(RequestPredicate::or).orElseThrow(),
                        http())
                .before(uri(queryService.url()))
                .before(ReadRoutesConfiguration::withoutApiPrefix)
                // Last: it signs the path exactly as it will be forwarded.
                .before(identity)
                .onError(RestClientException.class, ReadRoutesConfiguration::unavailable)
                .build();
    }

    /**
     * Spring MVC asks its router functions before the controllers (order -1). Every game call then made a
     * {@link ServerRequest} and tested it against the routed paths, twice (Spring Security's handler-lookup cache
     * asks too), for nothing (decision 047). Asked after the controllers, the routes still answer every path under
     * {@link #ROUTED_PATHS}, which no controller maps ({@code ReadRoutesTest}).
     */
    @Bean
    static BeanPostProcessor readRoutesAfterControllers() {
        return new BeanPostProcessor() {
            @Override
            public Object postProcessBeforeInitialization(Object bean, String beanName) {
                if (bean instanceof RouterFunctionMapping routes) {
                    routes.setOrder(ROUTES_ORDER);
                }
                return bean;
            }
        };
    }

    /**
     * The request as query-service knows it: the path without {@code /api}, everything else as received. Gateway
     * MVC's own {@code stripPrefix} re-parses the query and refuses a value holding {@code =} (a 500); the raw parts
     * of the URI the server parsed already are valid as they are.
     */
    static ServerRequest withoutApiPrefix(ServerRequest request) {
        URI received = request.uri();
        MvcUtils.addOriginalRequestUrl(request, received);
        String rawQuery = received.getRawQuery();
        URI forwarded = URI.create(received.getScheme() + "://" + received.getRawAuthority()
                + received.getRawPath().substring(API_PREFIX.length()) + (rawQuery == null ? "" : "?" + rawQuery));
        return ServerRequest.from(request).uri(forwarded).build();
    }

    /**
     * The HTTP client of the routes, with this gateway's timeouts; redirects go back to the client unfollowed. The
     * interceptor also makes RestClient buffer the request body (at most the gateway's body limit) and send it with
     * its length, instead of streaming it chunked.
     */
    @Bean
    ProxyExchange queryServiceExchange(QueryServiceProperties queryService, GatewayMvcProperties gateway) {
        HttpClient client = HttpClient.newBuilder()
                .version(HttpClient.Version.HTTP_1_1)
                .connectTimeout(queryService.connectTimeout())
                .followRedirects(HttpClient.Redirect.NEVER)
                .build();
        JdkClientHttpRequestFactory requests = new JdkClientHttpRequestFactory(client);
        requests.setReadTimeout(queryService.readTimeout());
        return new RestClientProxyExchange(RestClient.builder().requestFactory(requests)
                .requestInterceptor(ReadRoutesConfiguration::clientFailuresAsIo).build(), gateway);
    }

    /**
     * The JDK client can fail with an unchecked exception of its own: when query-service answers before it has read a
     * streamed request body, a race in the client's HTTP/1.1 exchange throws a {@code NullPointerException} (found by
     * HostileSweepTest: an empty chunked POST query-service refused at once). As an {@link IOException} it is what it
     * is, query-service's answer lost on the way, and becomes a 503 with Retry-After rather than a 500. So does a 401
     * of query-service, which refuses only the gateway's credentials, never the user's.
     */
    static ClientHttpResponse clientFailuresAsIo(HttpRequest request, byte[] body, ClientHttpRequestExecution execution)
            throws IOException {
        ClientHttpResponse response;
        try {
            response = execution.execute(request, body);
        } catch (RuntimeException e) {
            throw new IOException("The HTTP client failed: " + e, e);
        }
        if (response.getStatusCode().value() == HttpStatus.UNAUTHORIZED.value()) {
            // The user's token was verified here; query-service refused the gateway's own assertion (the internal
            // keys differ, as during a rotation, or the clocks do). Passed on, a 401 would tell the client to sign
            // in again, which cannot help: it is this service's outage, a 503 to retry.
            response.close();
            throw new IOException("query-service refused the gateway's signed identity (401): playbill.internal.key"
                    + " or the clocks differ");
        }
        return response;
    }

    private static ServerResponse unavailable(Throwable failure, ServerRequest request) {
        for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
            if (cause instanceof BodyTooLargeException tooLarge) {
                // The client's body was cut off at the limit while it was forwarded: its fault, not query-service's.
                return ServerResponse.status(HttpStatus.PAYLOAD_TOO_LARGE).contentType(MediaType.APPLICATION_JSON)
                        .body(ApiErrorBody.of(ErrorCodes.BODY_TOO_LARGE, tooLarge.getMessage()));
            }
        }
        log.warn("query-service could not serve {} {}: {}", request.method(), request.path(),
                NestedExceptionUtils.getMostSpecificCause(failure).toString());
        return ServerResponse.status(HttpStatus.SERVICE_UNAVAILABLE)
                .header(HttpHeaders.RETRY_AFTER, "5")
                .contentType(MediaType.APPLICATION_JSON)
                .body(ApiErrorBody.of("query_service_unavailable", "The query service did not answer; retry shortly"));
    }
}
