package io.playbill.gateway.token;

import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

import java.time.Clock;

@Configuration(proxyBeanMethods = false)
@EnableConfigurationProperties(TokenProperties.class)
public class TokenConfiguration {

    @Bean
    TokenSigner tokenSigner(TokenProperties settings, Clock clock) {
        return new TokenSigner(settings, clock);
    }
}
