package io.playbill.service.security;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.web.PathPatternRequestMatcherBuilderFactoryBean;

/**
 * Spring Security's {@code requestMatchers(String...)} build {@code PathPatternRequestMatcher}s (Spring Security 7's
 * default), which parse each pattern once, as Spring MVC's routes do. Without this they are
 * {@code MvcRequestMatcher}s, which ask MVC's handler mappings and parse their pattern again on every request
 * (docs/performance.md). Each service whose rules name paths imports this.
 */
@Configuration(proxyBeanMethods = false)
public class PathPatternRequestMatchers {

    @Bean
    PathPatternRequestMatcherBuilderFactoryBean pathPatternRequestMatcherBuilder() {
        return new PathPatternRequestMatcherBuilderFactoryBean();
    }
}
