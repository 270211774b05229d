package io.playbill.infra.test;

import org.junit.jupiter.api.Test;

import java.util.function.BooleanSupplier;

import static io.playbill.infra.test.InfrastructureChoice.Kind.EMBEDDED;
import static io.playbill.infra.test.InfrastructureChoice.Kind.TESTCONTAINERS;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class InfrastructureChoiceTest {

    private static final BooleanSupplier DOCKER = () -> true;
    private static final BooleanSupplier NO_DOCKER = () -> false;
    private static final BooleanSupplier MUST_NOT_PROBE = () -> {
        throw new AssertionError("Docker was probed although the property decides alone");
    };

    @Test
    void byDefaultContainersWhenDockerIsReachableElseEmbedded() {
        assertThat(InfrastructureChoice.choose(null, DOCKER).kind()).isEqualTo(TESTCONTAINERS);
        assertThat(InfrastructureChoice.choose(null, NO_DOCKER))
                .isEqualTo(new InfrastructureChoice(EMBEDDED, "no Docker engine found"));
        assertThat(InfrastructureChoice.choose(" ", NO_DOCKER).kind()).isEqualTo(EMBEDDED);
        assertThat(InfrastructureChoice.choose("auto", DOCKER).kind()).isEqualTo(TESTCONTAINERS);
    }

    @Test
    void embeddedIsForcedWithoutLookingForDocker() {
        assertThat(InfrastructureChoice.choose("embedded", MUST_NOT_PROBE).kind()).isEqualTo(EMBEDDED);
        assertThat(InfrastructureChoice.choose("EMBEDDED", MUST_NOT_PROBE).kind()).isEqualTo(EMBEDDED);
    }

    @Test
    void testcontainersIsRequiredAndFailsClearlyWithoutDocker() {
        assertThat(InfrastructureChoice.choose("testcontainers", DOCKER).kind()).isEqualTo(TESTCONTAINERS);
        assertThatThrownBy(() -> InfrastructureChoice.choose("testcontainers", NO_DOCKER))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("no Docker engine is reachable");
    }

    @Test
    void anUnknownValueIsRefusedRatherThanGuessed() {
        assertThatThrownBy(() -> InfrastructureChoice.choose("docker", MUST_NOT_PROBE))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("-Dplaybill.test.infra is auto, embedded or testcontainers, not 'docker'");
    }
}
