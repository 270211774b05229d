package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.support.NoneModeGatewayTest;
import io.playbill.gateway.support.UserTokens;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.kafka.listener.MessageListenerContainer;

import javax.sql.DataSource;

import static org.assertj.core.api.Assertions.assertThat;

/** Without playbill.cloud.enabled the gateway has no database, no GS client and no cloud endpoints. */
class CloudDisabledTest extends NoneModeGatewayTest {

    @Autowired
    private ApplicationContext context;

    @Test
    void nothingOfTheCloudFeatureExists() {
        assertThat(context.getBeansOfType(DataSource.class)).isEmpty();
        assertThat(context.getBeansOfType(TencentGs.class)).isEmpty();
        assertThat(context.getBeansOfType(MessageListenerContainer.class)).isEmpty();
        assertThat(http.post("/api/cloud/start", UserTokens.of("alice"), "{\"clientSession\":\"cs\",\"gameId\":\"g1\"}")
                .status()).isEqualTo(404);
        assertThat(http.post("/StartCloudGame", UserTokens.of("alice"), "{\"GameId\":\"g1\",\"ClientSession\":\"cs\"}")
                .status()).isEqualTo(404);
    }
}
