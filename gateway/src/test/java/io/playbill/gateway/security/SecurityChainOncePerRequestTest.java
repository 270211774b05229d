package io.playbill.gateway.security;

import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.Filter;
import jakarta.servlet.FilterChain;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.web.FilterChainProxy;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A game request answers with a future. The security filter chain runs once for it: the answer is written without
 * a second dispatch (decision 040), and the chain is kept off ASYNC dispatches anyway (decision 026), where running
 * it again for a request it already authorized was a large share of a request's CPU (docs/performance.md).
 */
@Import(SecurityChainOncePerRequestTest.CountingChains.class)
class SecurityChainOncePerRequestTest extends NoneModeGatewayTest {

    @Autowired
    private ChainRuns securityChainRuns;

    @Test
    void anAsynchronousGameAnswerPassesTheSecurityChainOnce() {
        securityChainRuns.clear();

        HttpResult stopped = http.post("/api/game/stop", UserTokens.of("alice"), "{\"session\":\"sonce1\"}");

        assertThat(stopped.status()).isEqualTo(200);
        assertThat(securityChainRuns.of(DispatcherType.REQUEST)).isEqualTo(1);
        assertThat(securityChainRuns.of(DispatcherType.ASYNC)).isZero();
    }

    @Test
    void anAsynchronousGameAnswerStillCarriesTheSecurityHeaders() {
        HttpResult token = http.get("/api/game/authToken?session=sonce2", UserTokens.of("alice"));

        assertThat(token.status()).isEqualTo(200);
        assertThat(token.header("X-Content-Type-Options")).isEqualTo("nosniff");
        assertThat(token.header("Cache-Control")).contains("no-store");
    }

    /** How often the security chain ran, by dispatcher type. */
    static final class ChainRuns {

        private final Map<DispatcherType, AtomicInteger> byType = new ConcurrentHashMap<>();

        void count(DispatcherType type) {
            byType.computeIfAbsent(type, t -> new AtomicInteger()).incrementAndGet();
        }

        void clear() {
            byType.clear();
        }

        int of(DispatcherType type) {
            AtomicInteger runs = byType.get(type);
            return runs == null ? 0 : runs.get();
        }
    }

    /** Wraps the chain Spring Security builds for each request with a count. */
    @TestConfiguration(proxyBeanMethods = false)
    static class CountingChains {

        @Bean
        ChainRuns securityChainRuns() {
            return new ChainRuns();
        }

        @Bean
        static BeanPostProcessor countingSecurityChain(ObjectProvider<ChainRuns> runs) {
            return new BeanPostProcessor() {
                @Override
                public Object postProcessAfterInitialization(Object bean, String name) {
                    if (bean instanceof FilterChainProxy proxy) {
                        proxy.setFilterChainDecorator(new Counting(runs));
                    }
                    return bean;
                }
            };
        }
    }

    private record Counting(ObjectProvider<ChainRuns> runs) implements FilterChainProxy.FilterChainDecorator {

        private static final FilterChainProxy.FilterChainDecorator STANDARD =
                new FilterChainProxy.VirtualFilterChainDecorator();

        @Override
        public FilterChain decorate(FilterChain original) {
            return STANDARD.decorate(original);
        }

        @Override
        public FilterChain decorate(FilterChain original, List<Filter> filters) {
            FilterChain chain = STANDARD.decorate(original, filters);
            return (request, response) -> {
                runs.getObject().count(request.getDispatcherType());
                chain.doFilter(request, response);
            };
        }
    }
}
