package io.playbill.gateway.web;

import io.playbill.gateway.support.NoneModeGatewayTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.web.embedded.tomcat.TomcatWebServer;
import org.springframework.boot.web.servlet.context.ServletWebServerApplicationContext;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The running connector's listen backlog is the gateway's, not Tomcat's 100: a burst of players reconnecting at once
 * overflowed 100 into SYN cookies, and connections whose cookie failed were reset with their request (decision 041).
 * The burst itself is measured by {@code ./playbill simulate}; a test cannot make the kernel overflow on cue.
 */
class ListenBacklogTest extends NoneModeGatewayTest {

    @Autowired
    private ServletWebServerApplicationContext context;

    @Test
    void theConnectorListensWithABacklogOf4096Connections() {
        TomcatWebServer server = (TomcatWebServer) context.getWebServer();

        assertThat(server.getTomcat().getConnector().getProperty("acceptCount")).isEqualTo(4096);
    }
}
