package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.yaml.snakeyaml.Yaml;

import java.io.IOException;
import java.io.Reader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;

import static io.playbill.infra.standalone.EndToEndPlatform.deposit;
import static io.playbill.infra.standalone.EndToEndPlatform.player;
import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * infra/observability stays true to the platform: every metric that a panel of the Grafana dashboard or a Prometheus
 * alert queries is exported by the service its {@code job} selects (every service when it names no job), in a real
 * scrape of the platform after one request of each kind; the scrape configuration names the services, ports and
 * token file {@code ./playbill up} uses; and no service lets anyone scrape without this run's token.
 */
@ExtendWith(EndToEndPlatform.class)
class DashboardMetricsTest {

    private static final Path OBSERVABILITY = home().resolve("infra/observability");
    /** Series Prometheus makes itself for every target, not the services. */
    private static final Set<String> MADE_BY_PROMETHEUS = Set.of("up");
    private static final HttpClient HTTP = HttpClient.newHttpClient();

    private static Platform platform;

    @BeforeAll
    static void platformWithTraffic() throws Exception {
        platform = EndToEndPlatform.shared();
        String gateway = platform.serviceUrls().get("gateway");
        String user = "scraped-" + UUID.randomUUID().toString().substring(0, 8);
        String session = "s" + UUID.randomUUID().toString().replace("-", "");
        deposit(user, 1000);
        // The default queue has its seeded dev price: the SDK's calls succeed without setting one.
        assertThat(send("GET", gateway + "/api/game/authToken?session=" + session, player(user), null).status())
                .isEqualTo(200);
        assertThat(send("POST", gateway + "/api/game/start", player(user), "{\"session\":\"" + session + "\"}")
                .status()).isEqualTo(200);
        assertThat(send("POST", gateway + "/api/game/renew", player(user),
                "{\"session\":\"" + session + "\",\"lastDeadline\":0}").status()).isEqualTo(200);
        assertThat(send("POST", gateway + "/api/game/stop", player(user), "{\"session\":\"" + session + "\"}")
                .status()).isEqualTo(200);
        await().atMost(Duration.ofSeconds(30))
                .until(() -> send("GET", gateway + "/api/me/account", player(user), null).status() == 200);
    }

    @Test
    void everyMetricTheDashboardQueriesIsExportedByItsService() throws Exception {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        dashboardQueries(json(OBSERVABILITY.resolve("grafana/playbill-dashboard.json")).path("panels"), queries);

        assertThat(queries).as("the dashboard's panels").hasSizeGreaterThanOrEqualTo(12);
        assertExported(queries);
    }

    @Test
    void everyMetricAnAlertQueriesIsExportedByItsService() throws Exception {
        Map<String, List<String>> queries = new LinkedHashMap<>();
        for (Map<String, Object> group : this.<List<Map<String, Object>>>yaml("alerts.yml", "groups")) {
            for (Object rule : (List<?>) group.get("rules")) {
                Map<?, ?> alert = (Map<?, ?>) rule;
                queries.put("alert " + alert.get("alert"), List.of((String) alert.get("expr")));
            }
        }

        assertThat(queries).as("the alerts").hasSizeGreaterThanOrEqualTo(10);
        assertExported(queries);
    }

    @Test
    void theScrapeConfigurationMatchesWhatPlaybillUpRuns() throws Exception {
        PlatformConfig up = PlatformConfig.defaults(home(), home().resolve(".playbill/data"));
        Map<String, Integer> ports = Map.of("gateway", up.gatewayPort(), "command-service", up.commandServicePort(),
                "query-service", up.queryServicePort());
        List<Map<String, Object>> jobs = yaml("prometheus.yml", "scrape_configs");

        assertThat(jobs).extracting(job -> job.get("job_name")).containsExactlyInAnyOrderElementsOf(ports.keySet());
        for (Map<String, Object> job : jobs) {
            String name = (String) job.get("job_name");
            assertThat(job.get("metrics_path")).as(name).isEqualTo("/actuator/prometheus");
            Map<?, ?> authorization = (Map<?, ?>) job.get("authorization");
            assertThat(authorization.get("type")).as(name).isEqualTo("Bearer");
            assertThat(OBSERVABILITY.resolve((String) authorization.get("credentials_file")).normalize())
                    .as(name + ": the token file of ./playbill up's data directory")
                    .isEqualTo(up.dataDir().resolve("run/scrape-token").normalize());
            Map<?, ?> targets = (Map<?, ?>) ((List<?>) job.get("static_configs")).get(0);
            assertThat(targets.get("targets")).as(name).isEqualTo(List.of("127.0.0.1:" + ports.get(name)));
        }
        assertThat(platform.scrapeTokenFile()).isEqualTo(platform.config().dataDir().resolve("run/scrape-token"));
        assertThat(Files.readString(platform.scrapeTokenFile())).isEqualTo(platform.scrapeToken());
    }

    @Test
    void noServiceLetsAnyoneScrapeWithoutThisRunsToken() throws Exception {
        String token = platform.scrapeToken();
        for (String url : platform.serviceUrls().values()) {
            for (String authorization : new String[]{null, "Bearer " + new StringBuilder(token).reverse(),
                    "Basic " + token, "Bearer " + EndToEndPlatform.admin()}) {
                HttpResponse<String> scrape = get(url + "/actuator/prometheus", authorization);
                assertThat(scrape.statusCode()).as(url + " with " + authorization).isEqualTo(401);
                assertThat(scrape.body()).doesNotContain("jvm_");
            }
        }
    }

    /** Every query → each of its metrics is in the scrape of its job's service, or of every service. */
    private static void assertExported(Map<String, List<String>> queries) {
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofSeconds(2)).untilAsserted(() -> {
            Map<String, Set<String>> exported = scrapeEveryService();
            List<String> missing = new ArrayList<>();
            queries.forEach((where, expressions) -> expressions.forEach(expression -> {
                for (PromQl.Selector selector : PromQl.selectors(expression)) {
                    if (MADE_BY_PROMETHEUS.contains(selector.metric())) {
                        continue;
                    }
                    String job = selector.equalLabels().get("job");
                    assertThat(job == null || exported.containsKey(job)).as(where + ": job " + job + " is no service")
                            .isTrue();
                    for (String service : job == null ? exported.keySet() : Set.of(job)) {
                        if (!exported.get(service).contains(selector.metric())) {
                            missing.add(where + ": " + selector.metric() + " is not exported by " + service);
                        }
                    }
                }
            }));
            assertThat(missing).isEmpty();
        });
    }

    /** Service name (the Prometheus job) → the metric names in its scrape. */
    private static Map<String, Set<String>> scrapeEveryService() throws IOException, InterruptedException {
        Map<String, Set<String>> exported = new HashMap<>();
        for (var service : platform.serviceUrls().entrySet()) {
            HttpResponse<String> scrape = get(service.getValue() + "/actuator/prometheus",
                    "Bearer " + platform.scrapeToken());
            assertThat(scrape.statusCode()).as(service.getKey()).isEqualTo(200);
            Set<String> names = new TreeSet<>();
            for (String line : scrape.body().split("\n")) {
                if (!line.isBlank() && !line.startsWith("#")) {
                    names.add(line.split("[{ ]", 2)[0]);
                }
            }
            exported.put(service.getKey(), names);
        }
        return exported;
    }

    /** Panel title → its query expressions, through rows. */
    private static void dashboardQueries(JsonNode panels, Map<String, List<String>> queries) {
        for (JsonNode panel : panels) {
            dashboardQueries(panel.path("panels"), queries);
            List<String> expressions = new ArrayList<>();
            panel.path("targets").forEach(target -> expressions.add(target.path("expr").asText()));
            if (!expressions.isEmpty()) {
                queries.put("panel '" + panel.path("title").asText() + "'", expressions);
            }
        }
    }

    private static HttpResponse<String> get(String url, String authorization) throws IOException,
            InterruptedException {
        HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30)).GET();
        if (authorization != null) {
            request.header("Authorization", authorization);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static JsonNode json(Path file) throws IOException {
        return TestHttp.JSON.readTree(file.toFile());
    }

    @SuppressWarnings("unchecked")
    private <T> T yaml(String file, String key) throws IOException {
        try (Reader reader = Files.newBufferedReader(OBSERVABILITY.resolve(file))) {
            return (T) new Yaml().<Map<String, Object>>load(reader).get(key);
        }
    }

    private static Path home() {
        return Path.of(System.getProperty("playbill.home", "../..")).toAbsolutePath().normalize();
    }
}
