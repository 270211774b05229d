package io.playbill.gsemulator;

import com.tencentcloudapi.common.CommonClient;
import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.gs.v20191118.GsClient;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.Instant;

import static io.playbill.gsemulator.Sdk.errorCode;
import static io.playbill.gsemulator.Sdk.trylock;
import static org.assertj.core.api.Assertions.assertThat;

/** The TC3-HMAC-SHA256 checks, seen through the real SDK. */
class Tc3AuthTest {

    private static final String SECRET_ID = "AKID-test";
    private static final String SECRET_KEY = "test-secret-key";

    private final ManualClock clock = new ManualClock(Instant.now());
    private GsEmulator emulator;

    @BeforeEach
    void startEmulator() {
        emulator = GsEmulator.start(GsEmulatorConfig.defaults().withCredentials(SECRET_ID, SECRET_KEY).withClock(clock));
    }

    @AfterEach
    void stopEmulator() {
        emulator.close();
    }

    @Test
    void theConfiguredKeyPairIsAccepted() throws Exception {
        Sdk.client(emulator, SECRET_ID, SECRET_KEY).TrylockWorker(trylock("alice", "game"));

        assertThat(emulator.state().locks()).hasSize(1);
    }

    @Test
    void aWrongSecretKeyAnswersSignatureFailure() {
        GsClient gs = Sdk.client(emulator, SECRET_ID, "not-the-key");

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("alice", "game")))).isEqualTo("AuthFailure.SignatureFailure");
        assertThat(emulator.state().locks()).isEmpty();
    }

    @Test
    void anUnknownSecretIdAnswersSecretIdNotFound() {
        GsClient gs = Sdk.client(emulator, "AKID-stranger", SECRET_KEY);

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("alice", "game")))).isEqualTo("AuthFailure.SecretIdNotFound");
    }

    @Test
    void aTimestampMoreThanFiveMinutesAwayAnswersSignatureExpire() throws Exception {
        GsClient gs = Sdk.client(emulator, SECRET_ID, SECRET_KEY);
        clock.advance(Duration.ofMinutes(4));
        gs.TrylockWorker(trylock("alice", "game"));

        clock.advance(Duration.ofMinutes(6));

        assertThat(errorCode(() -> gs.TrylockWorker(trylock("bob", "game")))).isEqualTo("AuthFailure.SignatureExpire");
    }

    @Test
    void anUnsignedPayloadIsAcceptedWhenTheSdkIsToldToSendOne() throws Exception {
        ClientProfile profile = Sdk.profile(emulator);
        profile.setUnsignedPayload(true);

        new GsClient(new Credential(SECRET_ID, SECRET_KEY), Sdk.REGION, profile).TrylockWorker(trylock("alice", "game"));

        assertThat(emulator.state().locks()).hasSize(1);
    }

    @Test
    void anotherApiVersionAnswersNoSuchVersion() {
        CommonClient client = new CommonClient("gs", "2020-01-01", new Credential(SECRET_ID, SECRET_KEY), Sdk.REGION,
                Sdk.profile(emulator));

        assertThat(errorCode(() -> client.call("TrylockWorker", "{\"UserId\":\"alice\",\"GameId\":\"game\"}")))
                .isEqualTo("NoSuchVersion");
    }

    @Test
    void authFailuresAreJournaled() {
        errorCode(() -> Sdk.client(emulator, SECRET_ID, "not-the-key").TrylockWorker(trylock("alice", "game")));

        assertThat(emulator.journal()).singleElement().satisfies(entry -> {
            assertThat(entry.action()).isEqualTo("TrylockWorker");
            assertThat(entry.userId()).isEqualTo("alice");
            assertThat(entry.code()).isEqualTo("AuthFailure.SignatureFailure");
        });
    }
}
