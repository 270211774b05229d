package io.playbill.query.parked;

import io.playbill.query.audit.AuditProperties;
import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.context.ApplicationContext;
import org.springframework.http.MediaType;
import org.springframework.test.web.servlet.MockMvc;
import org.springframework.test.web.servlet.MvcResult;
import org.springframework.test.web.servlet.setup.MockMvcBuilders;

import java.io.IOException;
import java.net.ServerSocket;
import java.time.Duration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * With the ledger's database unreachable, the ledger's parked items are answered 503 {@code database_unavailable}
 * within the 3 s a read waits for a connection, as docs/api-query.md promises. Their pool waited Hikari's default
 * 30 s, as long as the gateway waits for this service, so the caller got the gateway's timeout instead. (The
 * service's controller and error handling, with a ledger pool of its own pointed at a closed port.)
 */
class LedgerParkedItemsOutageIntegrationTest extends QueryServiceTest {

    @Autowired
    private ParkedEvents parkedEvents;
    @Autowired
    private ParkedRetries retries;
    @Autowired
    private ApplicationContext context;

    @Test
    void anUnreachableLedgerDatabaseIsA503WithinSeconds() throws Exception {
        int closedPort;
        try (ServerSocket socket = new ServerSocket(0)) {
            closedPort = socket.getLocalPort();
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
        LedgerParkedItems unreachable = new LedgerParkedItems(new AuditProperties(
                new AuditProperties.LedgerDatasource("jdbc:postgresql://127.0.0.1:" + closedPort + "/playbill_ledger",
                        "nobody", "none"), Duration.ofSeconds(60), 1000, 5000));
        try {
            MockMvc mvc = MockMvcBuilders.standaloneSetup(new ParkedController(parkedEvents, retries, unreachable))
                    .setControllerAdvice(context.getBean("apiErrors")).build();

            long start = System.nanoTime();
            MvcResult result = mvc.perform(get("/admin/parked/ledger").accept(MediaType.APPLICATION_JSON))
                    .andReturn();
            Duration took = Duration.ofNanos(System.nanoTime() - start);

            assertThat(result.getResponse().getStatus()).isEqualTo(503);
            assertThat(json.readTree(result.getResponse().getContentAsString()).get("error").get("code").asText())
                    .isEqualTo("database_unavailable");
            assertThat(result.getResponse().getHeader("Retry-After")).isEqualTo("5");
            assertThat(took).as("well within the gateway's 30 s").isLessThan(Duration.ofSeconds(8));
        } finally {
            unreachable.destroy();
        }
    }
}
