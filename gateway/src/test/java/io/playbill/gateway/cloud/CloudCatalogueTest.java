package io.playbill.gateway.cloud;

import io.playbill.gateway.cloud.gs.GsLockRequest;
import io.playbill.gateway.cloud.gs.GsPool;
import io.playbill.gateway.cloud.gs.GsStart;
import io.playbill.gateway.config.InvalidSettingsException;
import io.playbill.gateway.game.GameProperties;
import io.playbill.service.web.ApiException;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A queue's price pays for its own games, on its own worker groups, started as the operator set them up. */
class CloudCatalogueTest {

    private static final GameProperties QUEUES = new GameProperties(List.of("standard", "premium"), "standard");

    private final CloudCatalogue catalogue = new CloudCatalogue(Map.of(
            "standard", new CloudProperties.Offer(List.of("chess", "go"), List.of("gp-std-1", "gp-std-2"), false),
            "premium", new CloudProperties.Offer(List.of("chess", "racing"), List.of(), true)), QUEUES);

    @Test
    void aStartNamingNoGroupGetsTheQueuesFirstAndKeepsEverythingElse() {
        GsStart asked = start("chess", null, null);

        GsStart allowed = catalogue.allowed("standard", asked);

        assertThat(allowed.lock()).isEqualTo(new GsLockRequest(new GsPool("chess"), "ap-guangzhou", "gp-std-1"));
        assertThat(allowed).usingRecursiveComparison().ignoringFields("lock").isEqualTo(asked);
    }

    @Test
    void aGroupOfTheQueueIsKept() {
        assertThat(catalogue.allowed("standard", start("go", "gp-std-2", null)).lock().groupId())
                .isEqualTo("gp-std-2");
    }

    @Test
    void theCheapQueueCannotBuyAnotherQueuesGameOrGroup() {
        assertRefused(() -> catalogue.allowed("standard", start("racing", null, null)), "game_not_offered",
                "Game racing is not offered on queue standard");
        assertRefused(() -> catalogue.allowed("standard", start("chess", "gp-premium", null)), "group_not_offered",
                "Worker group gp-premium is not offered on queue standard; it offers [gp-std-1, gp-std-2]");
    }

    @Test
    void aQueueWithoutGroupsLetsGsChooseAndRefusesANamedOne() {
        assertThat(catalogue.allowed("premium", start("racing", null, null)).lock().groupId()).isNull();
        assertRefused(() -> catalogue.allowed("premium", start("racing", "gp-std-1", null)), "group_not_offered",
                "Worker group gp-std-1 is not offered on queue premium; name no group");
    }

    @Test
    void startParametersFromThePlayerOnlyWhereTheQueueAllowsThem() {
        assertRefused(() -> catalogue.allowed("standard", start("chess", null, "-cheats 1")), "game_paras_not_allowed",
                "Queue standard does not let a player set the game's start parameters");
        assertThat(catalogue.allowed("premium", start("chess", null, "-cheats 1")).gameParas()).isEqualTo("-cheats 1");
    }

    @Test
    void aStartNothingBillsIsJudgedByTheDefaultQueue() {
        assertThat(catalogue.allowed(null, start("go", null, null)).lock().groupId()).isEqualTo("gp-std-1");
        assertRefused(() -> catalogue.allowed(null, start("racing", null, null)), "game_not_offered",
                "Game racing is not offered on queue standard");
    }

    @Test
    void aQueueWithoutAnOfferStartsNothing() {
        CloudCatalogue standardOnly = new CloudCatalogue(Map.of(
                "standard", new CloudProperties.Offer(List.of("chess"), List.of(), false)), QUEUES);

        assertRefused(() -> standardOnly.allowed("premium", start("chess", null, null)), "game_not_offered",
                "Game chess is not offered on queue premium");
    }

    @Test
    void withoutACatalogueEveryStartPassesAsAsked() {
        CloudCatalogue open = new CloudCatalogue(Map.of(), QUEUES);
        GsStart asked = start("anything", "any-group", "-any");

        assertThat(open.allowed("standard", asked)).isSameAs(asked);
    }

    @Test
    void anOfferForAnUnknownQueueStopsStartUp() {
        assertThatThrownBy(() -> new CloudCatalogue(Map.of(
                "gold", new CloudProperties.Offer(List.of("chess"), List.of(), false)), QUEUES))
                .isInstanceOf(InvalidSettingsException.class)
                .hasMessageContaining("playbill.cloud.catalogue.gold names no queue of playbill.game.queues");
    }

    private static GsStart start(String game, String group, String gameParas) {
        return new GsStart(new GsLockRequest(new GsPool(game), "ap-guangzhou", group), "client-session", "720p",
                gameParas, "https://cdn.example/bg.png", 10L, 2L, 60L);
    }

    private static void assertRefused(Runnable start, String code, String message) {
        assertThatThrownBy(start::run).isInstanceOfSatisfying(ApiException.class, refused -> {
            assertThat(refused.status().value()).isEqualTo(403);
            assertThat(refused.code()).isEqualTo(code);
            assertThat(refused.getMessage()).startsWith(message);
        });
    }
}
