package io.playbill.gateway.cloud;

import com.tencentcloudapi.common.Credential;
import com.tencentcloudapi.common.profile.ClientProfile;
import com.tencentcloudapi.common.profile.HttpProfile;
import com.tencentcloudapi.gs.v20191118.GsClient;
import com.zaxxer.hikari.HikariDataSource;
import io.micrometer.core.instrument.MeterRegistry;
import io.playbill.gateway.billing.BillingProperties;
import io.playbill.gateway.cloud.billing.CloudBilling;
import io.playbill.gateway.cloud.billing.ServerHeartbeat;
import io.playbill.gateway.cloud.gs.GsRetry;
import io.playbill.gateway.cloud.gs.TencentGs;
import io.playbill.gateway.cloud.queue.CloudQueue;
import io.playbill.gateway.cloud.queue.QueueWorker;
import io.playbill.gateway.cloud.stop.CloudSessions;
import io.playbill.gateway.cloud.stop.StopRecords;
import io.playbill.gateway.game.GameProperties;
import io.playbill.gateway.ledger.Ledger;
import io.playbill.service.durability.DurableCommits;
import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.jdbc.DataSourceProperties;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.transaction.PlatformTransactionManager;
import org.springframework.transaction.support.TransactionTemplate;

import java.time.Clock;

/**
 * The cloud-game feature, only with {@code playbill.cloud.enabled=true}. It is the gateway's only user of a database
 * ({@code playbill_gateway}): the DataSource is created here from {@code spring.datasource.*}, and Spring Boot's
 * JdbcTemplate, transaction manager and Flyway configure themselves from it. Without the feature there is no
 * DataSource, so those back off and the gateway needs no database (see GatewayApplication).
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = "enabled", havingValue = "true")
@EnableConfigurationProperties({CloudProperties.class, DataSourceProperties.class})
public class CloudConfiguration {

    @Bean
    @ConfigurationProperties("spring.datasource.hikari")
    HikariDataSource gatewayDataSource(DataSourceProperties database) {
        HikariDataSource dataSource = database.initializeDataSourceBuilder().type(HikariDataSource.class).build();
        dataSource.setPoolName("playbill-gateway");
        return dataSource;
    }

    /** Start-up refuses a database that could undo a recorded session end or game binding (decision 046). */
    @Bean
    DurableCommits durableGatewayCommits(HikariDataSource gatewayDataSource) {
        return new DurableCommits(gatewayDataSource, "the gateway's database");
    }

    @Bean
    TencentGs tencentGs(CloudProperties cloud) {
        HttpProfile http = new HttpProfile();
        http.setEndpoint(cloud.endpoint());
        http.setProtocol(cloud.protocol());
        http.setConnTimeout((int) cloud.connectTimeout().toSeconds());
        http.setReadTimeout((int) cloud.readTimeout().toSeconds());
        http.setWriteTimeout((int) cloud.readTimeout().toSeconds());
        ClientProfile profile = new ClientProfile();
        profile.setHttpProfile(http);
        // Debug stays off: the SDK's debug log prints whole requests.
        GsClient client = new GsClient(new Credential(cloud.secretId(), cloud.secretKey()), cloud.region(), profile);
        CloudProperties.Retry retry = cloud.retry();
        return new TencentGs(client, new GsRetry(retry.maxAttempts(), retry.initialBackoff(), retry.maxBackoff()),
                new GsRetry(retry.notReadyAttempts(), retry.notReadyBackoff(), retry.notReadyBackoff()));
    }

    @Bean
    ClientAddress clientAddress(CloudProperties cloud) {
        return ClientAddress.of(cloud);
    }

    @Bean
    CloudQueue cloudQueue(JdbcTemplate jdbc, PlatformTransactionManager transactions, Clock clock,
                          CloudProperties cloud) {
        CloudProperties.Queue queue = cloud.queue();
        return new CloudQueue(jdbc, new TransactionTemplate(transactions), clock, queue.lockRetryInterval(),
                queue.entryTtl(), queue.readyTimeout());
    }

    @Bean
    QueueWorker cloudQueueWorker(CloudQueue queue, TencentGs gs, CloudSessions sessions, CloudProperties cloud) {
        return new QueueWorker(queue, gs, sessions, cloud.queue().lockRetryInterval());
    }

    @Bean
    CloudSessions cloudSessions(JdbcTemplate jdbc, PlatformTransactionManager transactions) {
        return new CloudSessions(jdbc, new TransactionTemplate(transactions));
    }

    @Bean
    StopRecords stopRecords(JdbcTemplate jdbc) {
        return new StopRecords(jdbc);
    }

    @Bean
    CloudGames cloudGames(TencentGs gs, CloudQueue queue, CloudSessions sessions) {
        return new CloudGames(gs, queue, sessions);
    }

    /** Cloud games are paid by ledger sessions in billing modes under and over; in mode none nothing pays. */
    @Bean
    CloudBilling cloudBilling(BillingProperties billing, ObjectProvider<Ledger> ledger) {
        return new CloudBilling(billing.mode().usesLedger() ? ledger.getObject() : null);
    }

    /** The gateway's heartbeat exists with the ledger (CloudStopperConfiguration); mode none renews nothing. */
    @Bean
    CloudPlay cloudPlay(CloudGames games, CloudSessions sessions, CloudBilling billing, StopRecords stops,
                        ObjectProvider<ServerHeartbeat> heartbeat, Clock clock, MeterRegistry meters,
                        CloudProperties cloud, GameProperties game) {
        return new CloudPlay(games, new CloudCatalogue(cloud.catalogue(), game), sessions, billing, stops,
                heartbeat.getIfAvailable(), clock, meters, cloud.stopper().finishGrace(), cloud.longestGsStart());
    }
}
