package io.playbill.infra.standalone;

import com.auth0.jwt.JWT;
import org.junit.jupiter.api.Test;

import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

/** The admin token of replay and audit: from the environment rather than the command line, which others can read. */
class AdminApiTest {

    @Test
    void theOptionWinsThenTheEnvironmentThenADevelopmentToken() {
        assertThat(AdminApi.token("from-option", Map.of(AdminApi.TOKEN_VARIABLE, "from-environment")))
                .isEqualTo("from-option");
        assertThat(AdminApi.token(null, Map.of(AdminApi.TOKEN_VARIABLE, " from-environment ")))
                .isEqualTo("from-environment");

        String development = AdminApi.token(null, Map.of(AdminApi.TOKEN_VARIABLE, " "));
        assertThat(JWT.decode(development).getSubject()).isEqualTo("ops");
        assertThat(JWT.decode(development).getClaim("roles").asList(String.class)).containsExactly("admin");
    }
}
