package io.playbill.gsemulator;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.exception.TencentCloudSDKException;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.gs.v20191118.GsClient;
import com.tencentcloudapi.gs.v20191118.models.CreateSessionRequest;
import com.tencentcloudapi.gs.v20191118.models.StopGameRequest;
import com.tencentcloudapi.gs.v20191118.models.TrylockWorkerRequest;
import org.assertj.core.api.ThrowableAssert.ThrowingCallable;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/** The real Tencent SDK pointed at an emulator, plus request builders the tests share. */
final class Sdk {

    static final String REGION = "ap-guangzhou";

    static ClientProfile profile(GsEmulator emulator) {
        HttpProfile http = new HttpProfile();
        http.setEndpoint("127.0.0.1:" + emulator.port());
        http.setProtocol("http://");
        ClientProfile profile = new ClientProfile();
        profile.setHttpProfile(http);
        return profile;
    }

    static GsClient client(GsEmulator emulator, String secretId, String secretKey) {
        return new GsClient(new Credential(secretId, secretKey), REGION, profile(emulator));
    }

    static GsClient client(GsEmulator emulator) {
        return client(emulator, GsEmulatorConfig.DEV_SECRET_ID, GsEmulatorConfig.DEV_SECRET_KEY);
    }

    static TrylockWorkerRequest trylock(String userId, String gameId) {
        return trylock(userId, gameId, REGION);
    }

    static TrylockWorkerRequest trylock(String userId, String gameId, String gameRegion) {
        TrylockWorkerRequest request = new TrylockWorkerRequest();
        request.setUserId(userId);
        request.setGameId(gameId);
        request.setGameRegion(gameRegion);
        request.setUserIp("203.0.113.7");
        return request;
    }

    static CreateSessionRequest createSession(String userId, String gameId, String clientSession) {
        CreateSessionRequest request = new CreateSessionRequest();
        request.setUserId(userId);
        request.setGameId(gameId);
        request.setGameRegion(REGION);
        request.setClientSession(clientSession);
        request.setResolution("1920x1080");
        return request;
    }

    static StopGameRequest stopGame(String userId) {
        StopGameRequest request = new StopGameRequest();
        request.setUserId(userId);
        return request;
    }

    /** The error code the SDK threw for {@code call}; fails the test if the call succeeded. */
    static String errorCode(ThrowingCallable call) {
        TencentCloudSDKException e = catchThrowableOfType(TencentCloudSDKException.class, call);
        assertThat(e).as("the call should have failed").isNotNull();
        return e.getErrorCode();
    }

    private Sdk() {
    }
}
