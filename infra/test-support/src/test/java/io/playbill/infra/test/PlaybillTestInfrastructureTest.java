package io.playbill.infra.test;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import java.sql.DriverManager;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;

@ExtendWith(PlaybillInfrastructureExtension.class)
class PlaybillTestInfrastructureTest {

    @Test
    void givesARealPostgresDatabasePerCallAndARealBroker(PlaybillTestInfrastructure infra) throws Exception {
        var first = infra.createDatabase("probe");
        var second = infra.createDatabase("probe");
        assertThat(first.jdbcUrl()).isNotEqualTo(second.jdbcUrl());

        try (var c = DriverManager.getConnection(first.jdbcUrl(), first.username(), first.password());
             var rs = c.createStatement().executeQuery("select current_database(), version()")) {
            rs.next();
            assertThat(first.jdbcUrl()).endsWith("/" + rs.getString(1));
            assertThat(rs.getString(2)).startsWith("PostgreSQL");
        }

        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, infra.kafkaBootstrapServers()))) {
            assertThat(admin.describeCluster().nodes().get()).hasSize(1);
        }
        assertThat(PlaybillTestInfrastructure.shared()).isSameAs(infra);
    }
}
