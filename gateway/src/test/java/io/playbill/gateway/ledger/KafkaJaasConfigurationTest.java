package io.playbill.gateway.ledger;

import org.junit.jupiter.api.Test;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.kafka.security.jaas.KafkaJaasLoginModuleInitializer;

import javax.security.auth.login.AppConfigurationEntry;
import javax.security.auth.login.Configuration;

import static org.assertj.core.api.Assertions.assertThat;

/** The gateway's Kafka clients log in with {@code spring.kafka.jaas.*}, as operations.md says every service does. */
class KafkaJaasConfigurationTest {

    @Test
    void theJaasSettingsBecomeTheKafkaClientsLogin() {
        Configuration before = Configuration.getConfiguration();
        try {
            new ApplicationContextRunner().withUserConfiguration(KafkaJaasConfiguration.class)
                    .withPropertyValues("spring.kafka.jaas.enabled=true",
                            "spring.kafka.jaas.login-module=org.apache.kafka.common.security.scram.ScramLoginModule",
                            "spring.kafka.jaas.options.username=gateway")
                    .run(context -> {
                        assertThat(context).hasSingleBean(KafkaJaasLoginModuleInitializer.class);
                        AppConfigurationEntry[] login = Configuration.getConfiguration()
                                .getAppConfigurationEntry("KafkaClient");
                        assertThat(login).hasSize(1);
                        assertThat(login[0].getLoginModuleName())
                                .isEqualTo("org.apache.kafka.common.security.scram.ScramLoginModule");
                        assertThat(login[0].getOptions().get("username")).isEqualTo("gateway");
                    });
            new ApplicationContextRunner().withUserConfiguration(KafkaJaasConfiguration.class)
                    .run(context -> assertThat(context).doesNotHaveBean(KafkaJaasLoginModuleInitializer.class));
        } finally {
            Configuration.setConfiguration(before);
        }
    }
}
