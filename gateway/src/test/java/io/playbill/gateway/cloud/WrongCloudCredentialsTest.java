package io.playbill.gateway.cloud;

import io.playbill.gateway.GatewayApplication;
import io.playbill.gateway.support.GatewayHttp;
import io.playbill.gateway.support.HttpResult;
import io.playbill.gateway.support.TestGs;
import io.playbill.gateway.support.UserTokens;
import io.playbill.gsemulator.GsEmulatorConfig;
import io.playbill.infra.test.PlaybillTestInfrastructure;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.test.annotation.DirtiesContext;
import org.springframework.test.context.ActiveProfiles;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/** A gateway configured with the wrong SecretKey: GS refuses the signature, and the key never shows in the log. */
@SpringBootTest(classes = GatewayApplication.class, webEnvironment = SpringBootTest.WebEnvironment.RANDOM_PORT,
        properties = {
                "playbill.billing.mode=none",
                "playbill.cloud.enabled=true",
                "playbill.cloud.protocol=http://",
                "playbill.cloud.secret-id=" + GsEmulatorConfig.DEV_SECRET_ID,
                "playbill.cloud.secret-key=" + WrongCloudCredentialsTest.WRONG_KEY})
@ActiveProfiles("standalone")
@DirtiesContext
@ExtendWith(OutputCaptureExtension.class)
class WrongCloudCredentialsTest {

    static final String WRONG_KEY = "not-the-emulators-secret-key";

    @LocalServerPort
    private int port;

    @DynamicPropertySource
    static void infrastructure(DynamicPropertyRegistry registry) {
        // A database of its own: this instance's queue worker must never touch the other tests' queues.
        PlaybillTestInfrastructure.shared().createDatabase("gateway_wrong_key").springProperties("spring.datasource")
                .forEach((key, value) -> registry.add(key, () -> value));
        registry.add("playbill.cloud.endpoint", TestGs::endpoint);
    }

    @BeforeEach
    void startClean() {
        TestGs.reset();
    }

    @Test
    void aBadSignatureIsACloudAuthFailure(CapturedOutput output) {
        HttpResult refused = new GatewayHttp(port).post("/api/cloud/start", UserTokens.of("alice"),
                "{\"clientSession\":\"cs\",\"gameId\":\"g1\"}");

        assertThat(refused.status()).as(refused.toString()).isEqualTo(502);
        assertThat(refused.errorCode()).isEqualTo("cloud_auth_failed");
        assertThat(refused.json().at("/error/message").asText()).contains("AuthFailure.SignatureFailure");
        assertThat(TestGs.codes("TrylockWorker", "alice")).containsExactly("AuthFailure.SignatureFailure");
        assertThat(TestGs.emulator().state().locks()).noneMatch(lock -> lock.userId().equals("alice"));
        assertThat(output).doesNotContain(WRONG_KEY);
    }
}
