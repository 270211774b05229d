package io.playbill.query.readmodel;

import com.fasterxml.jackson.databind.JsonNode;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.projection.Jdbc;
import io.playbill.query.projection.LedgerEvent;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.axonframework.eventhandling.EventMessage;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.JdbcTemplate;

import java.sql.ResultSet;

import static com.tngtech.archunit.base.DescribedPredicate.or;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.equivalentTo;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the projections decide stays plain Java: the read models ({@code io.playbill.query.readmodel}) turn ledger
 * events into rows and sums without Spring, JDBC, Kafka, Jackson or Axon, which live in the adapters that load and
 * store them ({@code TableProjector} and its subclasses in the report packages). The audit's rule replay
 * ({@code io.playbill.query.audit.rules}) is held to the same: it knows the ledger's events and nothing else.
 */
@AnalyzeClasses(packages = "io.playbill.query", importOptions = ImportOption.DoNotIncludeTests.class)
class ReadModelLayerTest {

    @ArchTest
    static final ArchRule READ_MODELS_USE_NO_FRAMEWORK = noClasses()
            .that().resideInAnyPackage("..query.readmodel..", "..query.audit.rules..")
            .should().dependOnClassesThat().resideInAnyPackage("org.springframework..", "java.sql..", "javax.sql..",
                    "org.apache.kafka..", "com.fasterxml.jackson..", "org.axonframework..")
            .because("the read models are plain Java; the JDBC, Kafka and Axon sides live in the projection adapters");

    @ArchTest
    static final ArchRule READ_MODELS_KNOW_ONLY_THEMSELVES_THE_API_AND_THE_EVENT = classes()
            .that().resideInAPackage("..query.readmodel..")
            .should().onlyDependOnClassesThat(or(
                    resideInAnyPackage("..query.readmodel..", "io.playbill.ledger.api..", "java.."),
                    equivalentTo(LedgerEvent.class)))
            .because("the adapters (projectors, audit) call the read models, never the reverse");

    @ArchTest
    static final ArchRule AUDIT_RULES_KNOW_ONLY_THEMSELVES_AND_THE_API = classes()
            .that().resideInAPackage("..query.audit.rules..")
            .should().onlyDependOnClassesThat().resideInAnyPackage("..query.audit.rules..", "io.playbill.ledger.api..",
                    "java..")
            .because("the audit's billing rules are written again from the spec, apart from how the audit reads the"
                    + " store, the topic and the tables");

    @Test
    void aReadModelUsingAnyFrameworkBreaksTheRule() {
        for (Class<?> leak : new Class<?>[] {UsesSpringJdbc.class, UsesKafka.class, UsesJackson.class,
                UsesAxon.class}) {
            assertThat(READ_MODELS_USE_NO_FRAMEWORK.evaluate(imported(leak)).hasViolation())
                    .as(leak.getSimpleName()).isTrue();
            assertThat(READ_MODELS_KNOW_ONLY_THEMSELVES_THE_API_AND_THE_EVENT.evaluate(imported(leak)).hasViolation())
                    .as(leak.getSimpleName()).isTrue();
        }
    }

    @Test
    void aReadModelUsingPlainJdbcBreaksTheFrameworkRule() {
        // java.sql is part of java.*, which the second rule allows as a whole.
        assertThat(READ_MODELS_USE_NO_FRAMEWORK.evaluate(imported(UsesJdbc.class)).hasViolation()).isTrue();
    }

    @Test
    void aReadModelReachingIntoAnAdapterBreaksTheRule() {
        assertThat(READ_MODELS_USE_NO_FRAMEWORK.evaluate(imported(UsesAnAdapter.class)).hasViolation()).isFalse();
        assertThat(READ_MODELS_KNOW_ONLY_THEMSELVES_THE_API_AND_THE_EVENT.evaluate(imported(UsesAnAdapter.class))
                .hasViolation()).isTrue();
    }

    @Test
    void aReadModelUsingTheApiAndTheEventKeepsBothRules() {
        assertThat(READ_MODELS_USE_NO_FRAMEWORK.evaluate(imported(UsesTheEvent.class)).hasViolation()).isFalse();
        assertThat(READ_MODELS_KNOW_ONLY_THEMSELVES_THE_API_AND_THE_EVENT.evaluate(imported(UsesTheEvent.class))
                .hasViolation()).isFalse();
    }

    private static JavaClasses imported(Class<?> type) {
        return new ClassFileImporter().importClasses(type);
    }

    // Stand-ins for read-model classes (they sit in this package); the rules above must catch all but the last.

    record UsesSpringJdbc(JdbcTemplate jdbc) {
    }

    record UsesJdbc(ResultSet row) {
    }

    record UsesKafka(ConsumerRecord<String, byte[]> record) {
    }

    record UsesJackson(JsonNode payload) {
    }

    record UsesAxon(EventMessage<?> message) {
    }

    record UsesAnAdapter(Jdbc conversions) {
    }

    record UsesTheEvent(LedgerEvent event, Money amount) {
    }
}
