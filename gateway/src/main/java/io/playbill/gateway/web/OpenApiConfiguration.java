package io.playbill.gateway.web;

import io.swagger.v3.oas.models.Components;
import io.swagger.v3.oas.models.OpenAPI;
import io.swagger.v3.oas.models.info.Info;
import io.swagger.v3.oas.models.security.SecurityRequirement;
import io.swagger.v3.oas.models.security.SecurityScheme;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/** The OpenAPI document springdoc serves at {@code /v3/api-docs}; endpoint details come from the controllers. */
@Configuration(proxyBeanMethods = false)
public class OpenApiConfiguration {

    private static final String USER_JWT = "userJwt";

    @Bean
    OpenAPI gatewayOpenApi() {
        return new OpenAPI()
                .info(new Info().title("Playbill gateway").version("v1").description(
                        "Tokens for the cloud-gaming SDK and the admin money and price operations. Every /api "
                                + "call needs the user's JWT from the customer's identity provider. Errors are "
                                + "{\"error\":{\"code\":\"…\",\"message\":\"…\"}}; see docs/api.md for the codes."))
                .components(new Components().addSecuritySchemes(USER_JWT, new SecurityScheme()
                        .type(SecurityScheme.Type.HTTP).scheme("bearer").bearerFormat("JWT")))
                .addSecurityItem(new SecurityRequirement().addList(USER_JWT));
    }
}
