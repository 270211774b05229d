package io.playbill.ledger.domain;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.playbill.ledger.api.values.Money;
import io.playbill.ledger.axon.UserAccount;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.core.env.Environment;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The ledger's rules stay plain Java: the domain decides and evolves without a framework, so it reads (and is tested)
 * without Axon, Spring, Jackson or Kafka, and it never reaches back into the adapters that call it.
 */
@AnalyzeClasses(packages = "io.playbill.ledger", importOptions = ImportOption.DoNotIncludeTests.class)
class DomainLayerTest {

    @ArchTest
    static final ArchRule DOMAIN_USES_NO_FRAMEWORK = noClasses().that().resideInAPackage("..ledger.domain..")
            .should().dependOnClassesThat().resideInAnyPackage(
                    "org.axonframework..", "org.springframework..", "com.fasterxml.jackson..", "org.apache.kafka..")
            .because("the ledger's rules are plain Java; Axon, Spring, Jackson and Kafka live in its adapters");

    @ArchTest
    static final ArchRule DOMAIN_KNOWS_ONLY_ITSELF_AND_THE_API = classes().that().resideInAPackage("..ledger.domain..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("..ledger.domain..", "io.playbill.ledger.api..", "java..")
            .because("adapters (axon, config, intake, pricing, registry, expiry) call the domain, never the reverse");

    @Test
    void aDomainClassUsingAnyFrameworkBreaksTheRule() {
        for (Class<?> leak : new Class<?>[] {UsesAxon.class, UsesSpring.class, UsesJackson.class, UsesKafka.class}) {
            assertThat(DOMAIN_USES_NO_FRAMEWORK.evaluate(imported(leak)).hasViolation()).as(leak.getSimpleName()).isTrue();
            assertThat(DOMAIN_KNOWS_ONLY_ITSELF_AND_THE_API.evaluate(imported(leak)).hasViolation())
                    .as(leak.getSimpleName()).isTrue();
        }
    }

    @Test
    void aDomainClassReachingIntoAnAdapterBreaksTheRule() {
        assertThat(DOMAIN_USES_NO_FRAMEWORK.evaluate(imported(UsesTheAggregate.class)).hasViolation()).isFalse();
        assertThat(DOMAIN_KNOWS_ONLY_ITSELF_AND_THE_API.evaluate(imported(UsesTheAggregate.class)).hasViolation())
                .isTrue();
    }

    @Test
    void aDomainClassUsingTheApiValuesKeepsBothRules() {
        assertThat(DOMAIN_USES_NO_FRAMEWORK.evaluate(imported(UsesApiValues.class)).hasViolation()).isFalse();
        assertThat(DOMAIN_KNOWS_ONLY_ITSELF_AND_THE_API.evaluate(imported(UsesApiValues.class)).hasViolation())
                .isFalse();
    }

    private static JavaClasses imported(Class<?> type) {
        return new ClassFileImporter().importClasses(type);
    }

    // Stand-ins for domain classes (they sit in this package); the rules above must catch the first five.

    record UsesAxon(EventMessage<?> message) {
    }

    record UsesSpring(Environment environment) {
    }

    record UsesJackson(JsonNode payload) {
    }

    record UsesKafka(ProducerRecord<String, String> record) {
    }

    record UsesTheAggregate(UserAccount account) {
    }

    record UsesApiValues(Money balance) {
    }
}
