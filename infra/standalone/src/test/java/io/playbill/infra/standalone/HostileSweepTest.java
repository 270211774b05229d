package io.playbill.infra.standalone;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.infra.standalone.HostileInputs.Body;
import io.playbill.infra.standalone.HostileInputs.Encoding;
import io.playbill.infra.standalone.SweepCallers.BrokenAuthorization;
import io.playbill.infra.standalone.SweepCallers.Caller;
import io.playbill.infra.standalone.SweepCallers.PlayerRoles;
import io.playbill.infra.standalone.SweepEndpoint.Access;
import io.playbill.infra.standalone.SweepEndpoint.Answers;
import io.playbill.infra.standalone.WireHttp.Answer;
import io.playbill.infra.standalone.WireHttp.Header;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.EdgeCasesMode;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AddLifecycleHook;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;
import net.jqwik.api.statistics.Statistics;
import net.jqwik.api.statistics.StatisticsReport;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import static io.playbill.infra.standalone.TestHttp.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The hostile sweep (issue 13): generated hostile requests — bodies, query strings, headers, content types, path ids
 * and methods — sent to every public endpoint of the real platform, each as an anonymous caller (with a missing or
 * broken token), a player, finance and admin. Every answer keeps the contract: no 5xx but the documented 503s (with
 * {@code Retry-After}), every error in the JSON error shape (the demo paths in their own shapes), successes in JSON
 * (or CSV when asked), nothing for a caller without the role, and no money moved: a canary account, the target of
 * hostile money calls, has the same events, balance and clean audit afterwards. docs/security.md, "Hostile sweep".
 */
class HostileSweepTest {

    private static final long CANARY_BALANCE = 12_345;
    /** The 503s the API documents as "retry later"; any other 5xx is a bug. */
    private static final Set<String> DOCUMENTED_503 = Set.of("ledger_unavailable", "busy",
            "query_service_unavailable", "cloud_unavailable", "database_unavailable", "broker_unavailable");
    private static final Set<Integer> V1_CODES = Set.of(0, -1, -2);
    private static final Map<Integer, String> V2_MESSAGES = Map.of(0, "Ok", 10001, "miss or invalid parametors",
            10100, "queuing", 10101, "queue done", 10200, "create session failed", 10201, "stop game failed",
            10202, "try lock failed");
    private static final Pattern PLACEHOLDER = Pattern.compile("\\{([a-z]+)}");
    private static final List<String> CONSOLE_TYPES = List.of("text/html", "text/css", "text/javascript",
            "application/javascript");
    private static final List<String> VALID_PROJECTIONS = List.of("accounts", "sessions", "statement", "finance");

    private static String gateway;
    private static String canary;
    private static List<JsonNode> canaryEvents;
    private static JsonNode canaryAudit;

    /** One generated request; the sweep sends it once per {@link Caller}. */
    record Hostile(SweepEndpoint endpoint, String method, String target, List<Header> headers, Body body,
                   boolean chunked, BrokenAuthorization anonymous, int player, PlayerRoles playerRoles) {

        WireHttp.Request as(Caller caller) {
            String authorization = switch (caller) {
                case ANONYMOUS -> SweepCallers.broken(anonymous);
                case PLAYER -> SweepCallers.player(player, playerRoles);
                case FINANCE -> SweepCallers.finance();
                case ADMIN -> SweepCallers.admin();
            };
            List<Header> all = new ArrayList<>(headers);
            if (authorization != null) {
                all.add(new Header("Authorization", authorization));
            }
            return new WireHttp.Request(method, target, all, body == null ? null : body.bytes(), chunked);
        }

        boolean asksForCsv() {
            return headers.stream().anyMatch(h -> h.name().equalsIgnoreCase("Accept")
                    && (h.value().toLowerCase(Locale.ROOT).contains("text/csv")
                    || h.value().toLowerCase(Locale.ROOT).contains("text/*")));
        }

        @Override
        public String toString() {
            String shown = target.length() > 300 ? target.substring(0, 300) + "…(" + target.length() + ")" : target;
            return endpoint + ": " + method + " " + shown + (chunked ? " (chunked)" : "") + "\n  headers " + headers
                    + "\n  body " + body + "\n  anonymous " + anonymous + ", player " + player + " " + playerRoles;
        }
    }

    @BeforeContainer
    static void aCanaryWithAKnownBalanceAndACleanAudit() throws Exception {
        gateway = EndToEndPlatform.gateway();
        canary = "canary-" + UUID.randomUUID().toString().substring(0, 8);
        EndToEndPlatform.deposit(canary, CANARY_BALANCE);
        await().atMost(Duration.ofSeconds(30)).until(() -> projectedBalance(canary) == CANARY_BALANCE);
        canaryEvents = EndToEndPlatform.events(canary);
        canaryAudit = audit(canary);
        assertThat(canaryAudit.path("clean").asBoolean()).as(canaryAudit.toString()).isTrue();
        assertThat(canaryAudit.path("balance").asLong()).isEqualTo(CANARY_BALANCE);
    }

    @AfterContainer
    static void theCanaryIsUntouched() throws Exception {
        try {
            assertThat(EndToEndPlatform.events(canary)).as("the canary's events in the ledger's event store")
                    .isEqualTo(canaryEvents);
            assertThat(projectedBalance(canary)).as("the canary's balance as finance reads it")
                    .isEqualTo(CANARY_BALANCE);
            JsonNode after = audit(canary);
            assertThat(after.path("clean").asBoolean()).as(after.toString()).isTrue();
            assertThat(after.path("balance").asLong()).isEqualTo(CANARY_BALANCE);
            assertThat(after.path("storeEvents")).isEqualTo(canaryAudit.path("storeEvents"));
            assertThat(after.path("findingCount").asInt()).isZero();
        } finally {
            EndToEndPlatform.close();
        }
    }

    @Example
    void theSweepCoversEveryPathOfTheGatewaysOpenApiDocument() throws Exception {
        var document = send("GET", EndToEndPlatform.gateway() + "/v3/api-docs", null, null);
        assertThat(document.status()).isEqualTo(200);
        Set<String> swept = new TreeSet<>();
        for (SweepEndpoint endpoint : SweepEndpoint.values()) {
            swept.add(endpoint.method() + " " + PLACEHOLDER.matcher(endpoint.template()).replaceAll("{}"));
        }
        Set<String> documented = new TreeSet<>();
        for (Map.Entry<String, JsonNode> path : document.body().path("paths").properties()) {
            path.getValue().fieldNames().forEachRemaining(method -> documented.add(method.toUpperCase(Locale.ROOT)
                    + " " + path.getKey().replaceAll("\\{[^}]+}", "{}")));
        }
        assertThat(documented).isNotEmpty();
        assertThat(swept).containsAll(documented);
    }

    @Property(tries = 1500, edgeCases = EdgeCasesMode.NONE)
    @AddLifecycleHook(SweepSettings.class)
    @StatisticsReport
    void noHostileRequestBreaksTheContract(@ForAll("hostileRequests") Hostile request) throws Exception {
        Statistics.label("endpoint").collect(request.endpoint());
        List<String> problems = new ArrayList<>();
        for (Caller caller : Caller.values()) {
            WireHttp.Request wire = request.as(caller);
            Answer answer;
            try {
                answer = WireHttp.exchange(gateway, wire);
                if (isDocumented503(answer, parse(answer.body()))) {
                    // A moment's overload is allowed; a 503 the same request gets again is the input's doing.
                    Thread.sleep(Duration.ofSeconds(Math.min(5, retryAfter(answer))).toMillis());
                    answer = WireHttp.exchange(gateway, wire);
                    if (isDocumented503(answer, parse(answer.body()))) {
                        problems.add(caller + " got " + answer.status() + " twice: the request itself causes it\n    "
                                + abbreviate(answer.text()));
                    }
                }
            } catch (IOException e) {
                problems.add(caller + ": no answer (" + e + ")");
                continue;
            }
            Statistics.label("answers").collect(caller, bucket(answer));
            Statistics.label("transport").collect(answer.transport());
            for (String problem : violations(request, caller, answer)) {
                problems.add(caller + " got " + answer.status() + " " + answer.header("content-type") + ": " + problem
                        + "\n    " + abbreviate(answer.text()));
            }
        }
        if (request.endpoint().answers() == Answers.MONEY) {
            assertThat(request.body() == null || request.body().breaksAField())
                    .as("a money body always breaks a rule").isTrue();
        }

        Statistics.label("body").collect(request.body() == null ? "none" : category(request.body().shape()));

        Statistics.label("endpoint").coverage(coverage -> {
            for (SweepEndpoint endpoint : SweepEndpoint.values()) {
                coverage.check(endpoint).count(c -> c >= 1);
            }
        });
        Statistics.label("answers").coverage(coverage -> {
            for (Caller caller : List.of(Caller.PLAYER, Caller.FINANCE, Caller.ADMIN)) {
                // Not vacuous: each role's token is accepted, and some of its requests do succeed.
                coverage.checkQuery(key -> key.get(0) == caller && !"401".equals(key.get(1)))
                        .count((count, all) -> count * 5 >= all);
                coverage.check(caller, "2xx").count(c -> c >= 1);
            }
            coverage.check(Caller.ANONYMOUS, "401").count(c -> c >= 1);
            coverage.checkQuery(key -> "503 documented".equals(key.get(1))).count((count, all) -> count * 20 < all);
        });
        Statistics.label("transport").coverage(coverage -> {
            coverage.check("raw").count(c -> c >= 1);
            coverage.check("client").count(c -> c >= 1);
        });
        Statistics.label("body").coverage(coverage -> {
            for (String category : List.of("none", "JSON object", "broken JSON", "not JSON", "over the limit")) {
                coverage.check(category).count(c -> c >= 1);
            }
        });

        assertThat(problems).as("answers to\n%s", request).isEmpty();
    }

    // ------------------------------------------------------------------------------------------------ the contract

    private static List<String> violations(Hostile request, Caller caller, Answer answer) {
        List<String> problems = new ArrayList<>();
        SweepEndpoint endpoint = request.endpoint();
        int status = answer.status();
        boolean head = "HEAD".equals(request.method());
        JsonNode json = parse(answer.body());
        String contentType = String.valueOf(answer.header("content-type")).toLowerCase(Locale.ROOT);
        boolean success = status >= 200 && status < 300;

        if (status >= 500 && !isDocumented503(answer, json)) {
            problems.add("a 5xx the API does not document");
        }
        if (status < 200 || (status >= 300 && status < 400)) {
            problems.add("neither a success nor an error");
        }
        if (success && !mayCall(caller, endpoint)) {
            problems.add("a success for a caller without the role " + endpoint.access());
        }
        // OPTIONS answers which methods a path takes, HEAD is GET without a body: neither runs the operation.
        boolean operation = request.method().equals(endpoint.method());
        if (success && operation && endpoint.answers() == Answers.MONEY) {
            problems.add("a success for a body that breaks a rule");
        }
        if (success && operation && endpoint == SweepEndpoint.REPLAY_START) {
            problems.add("a replay started by a hostile request");
        }
        if ("OPTIONS".equals(request.method()) && success) {
            if (answer.header("allow") == null) {
                problems.add("an OPTIONS answer without Allow");
            }
        } else if (endpoint.isDemo() && status == 200 && !head) {
            problems.addAll(endpoint.answers() == Answers.DEMO_V1 ? v1Shape(json) : v2Shape(json));
        } else if (!success) {
            if (!isJson(contentType)) {
                problems.add("an error that is not JSON");
            } else if (!head) {
                problems.addAll(errorShape(json));
            }
        } else if (!head) {
            boolean csv = contentType.startsWith("text/csv") && request.asksForCsv()
                    && endpoint.answers() == Answers.READ;
            boolean consoleFile = endpoint.answers() == Answers.CONSOLE && CONSOLE_TYPES.stream()
                    .anyMatch(contentType::startsWith);
            if (!csv && !consoleFile && (!isJson(contentType) || json == null)) {
                problems.add("a success that is neither JSON nor CSV asked for nor a console file");
            }
        }
        if (status == 401 && answer.header("www-authenticate") == null) {
            problems.add("a 401 without WWW-Authenticate");
        }
        if (status == 405 && answer.header("allow") == null) {
            problems.add("a 405 without Allow");
        }
        if ((status == 429 || status == 503) && answer.header("retry-after") == null) {
            problems.add("a " + status + " without Retry-After");
        }
        return problems;
    }

    /** {@code application/json}, or a JSON type by its suffix (Actuator's {@code application/vnd…+json}). */
    private static boolean isJson(String contentType) {
        String type = contentType.split(";", 2)[0].trim();
        return type.equals("application/json") || (type.startsWith("application/") && type.endsWith("+json"));
    }

    private static boolean isDocumented503(Answer answer, JsonNode json) {
        return answer.status() == 503 && answer.header("retry-after") != null && json != null
                && DOCUMENTED_503.contains(json.at("/error/code").asText());
    }

    private static long retryAfter(Answer answer) {
        try {
            return Math.max(0, Long.parseLong(answer.header("retry-after").trim()));
        } catch (NumberFormatException e) {
            return 5;
        }
    }

    private static boolean mayCall(Caller caller, SweepEndpoint endpoint) {
        if (endpoint.access() == Access.PUBLIC) {
            return true;
        }
        return switch (caller) {
            case ANONYMOUS -> false;
            case PLAYER -> endpoint.access() == Access.USER;
            case FINANCE -> endpoint.access() != Access.ADMIN;
            case ADMIN -> true;
        };
    }

    /** {@code {"error":{"code","message"}}} and nothing else. */
    private static List<String> errorShape(JsonNode json) {
        if (json == null || !json.isObject() || json.size() != 1 || !json.path("error").isObject()) {
            return List.of("an error body that is not {\"error\":{…}}");
        }
        JsonNode error = json.get("error");
        List<String> problems = new ArrayList<>();
        if (!error.path("code").isTextual() || !error.path("code").asText().matches("[a-z][a-z0-9_]*")) {
            problems.add("an error without a code");
        }
        if (!error.path("message").isTextual()) {
            problems.add("an error without a message");
        }
        if (error.size() != 2) {
            problems.add("an error with more than code and message");
        }
        return problems;
    }

    /** The official v1 demo: {@code {"code":0,"data":{…}}} or {@code {"code":-1|-2,"msg","data":{"code",…}}}. */
    private static List<String> v1Shape(JsonNode json) {
        if (json == null || !json.isObject() || !json.path("code").isInt()
                || !V1_CODES.contains(json.get("code").asInt()) || !json.path("data").isObject()) {
            return List.of("not the v1 demo's shape");
        }
        if (json.get("code").asInt() != 0
                && (!json.path("msg").isTextual() || !json.at("/data/code").isTextual())) {
            return List.of("a v1 failure without msg and data.code");
        }
        return List.of();
    }

    /** The official v2 demo: {@code {"RequestId"?, …, "Code", "Msg"}} with the demo's codes and messages. */
    private static List<String> v2Shape(JsonNode json) {
        if (json == null || !json.isObject() || !json.path("Code").isInt()
                || !V2_MESSAGES.containsKey(json.get("Code").asInt())) {
            return List.of("not the v2 demo's shape");
        }
        int code = json.get("Code").asInt();
        List<String> problems = new ArrayList<>();
        if (!V2_MESSAGES.get(code).equals(json.path("Msg").asText())) {
            problems.add("a v2 Msg that is not the demo's");
        }
        if (json.has("RequestId") && !json.get("RequestId").isTextual()) {
            problems.add("a v2 RequestId that is not text");
        }
        if (code != 0 && code != 10100 && code != 10101 && !json.at("/Error/code").isTextual()) {
            problems.add("a v2 failure without Error.code");
        }
        return problems;
    }

    private static String category(HostileInputs.Shape shape) {
        return switch (shape) {
            case OBJECT -> "JSON object";
            case PADDED -> "over the limit";
            case DEEP_MEMBER, DUPLICATE_KEY, TRAILING_DATA, ARRAY, TRUNCATED, RAW_CONTROL, INVALID_UTF8, NULL_LITERAL ->
                    "broken JSON";
            case FORM, MULTIPART, EMPTY, WHITESPACE, BINARY -> "not JSON";
        };
    }

    private static String bucket(Answer answer) {
        int status = answer.status();
        if (status == 503 && isDocumented503(answer, parse(answer.body()))) {
            return "503 documented";
        }
        return switch (status) {
            case 400, 401, 403, 404, 405, 406, 409, 413, 415, 429 -> String.valueOf(status);
            default -> status >= 200 && status < 300 ? "2xx" : status >= 500 ? "5xx" : "other " + status / 100 + "xx";
        };
    }

    // --------------------------------------------------------------------------------------------------- generators

    @Provide
    Arbitrary<Hostile> hostileRequests() {
        return Arbitraries.of(SweepEndpoint.class).flatMap(endpoint -> Combinators.combine(
                        methods(endpoint), target(endpoint), headers(), body(endpoint),
                        Arbitraries.frequency(Tuple.of(4, false), Tuple.of(1, true)),
                        Arbitraries.of(BrokenAuthorization.class), Arbitraries.integers().between(0, 63),
                        Arbitraries.of(PlayerRoles.class))
                .as((method, target, headers, body, chunked, anonymous, player, roles) -> new Hostile(endpoint,
                        method, target, headers, body, chunked && body != null, anonymous, player, roles))
                // Replays rebuild the read models: the sweep asks for one only by a name that does not exist.
                .filter(h -> !(h.endpoint() == SweepEndpoint.REPLAY_START && "POST".equals(h.method())
                        && VALID_PROJECTIONS.stream().anyMatch(name -> h.target().startsWith(
                        "/api/admin/replays/" + name)))));
    }

    private static Arbitrary<String> methods(SweepEndpoint endpoint) {
        return Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.just(endpoint.method())),
                Tuple.of(2, Arbitraries.of("GET", "POST", "PUT", "DELETE", "PATCH", "HEAD", "OPTIONS", "TRACE")),
                Tuple.of(1, Arbitraries.of("PROPFIND", "get", "FOO", "CONNECT_")));
    }

    private static Arbitrary<String> target(SweepEndpoint endpoint) {
        Matcher placeholders = PLACEHOLDER.matcher(endpoint.template());
        List<String> names = new ArrayList<>();
        while (placeholders.find()) {
            names.add(placeholders.group(1));
        }
        Arbitrary<List<String>> ids = Combinators.combine(names.stream().map(HostileSweepTest::pathId).toList())
                .as(list -> list);
        return Combinators.combine(ids, query(endpoint)).as((values, query) -> {
            String path = endpoint.template();
            for (int i = 0; i < names.size(); i++) {
                path = path.replace("{" + names.get(i) + "}", values.get(i));
            }
            return path + query;
        });
    }

    private static Arbitrary<String> pathId(String name) {
        Arbitrary<String> plausible = switch (name) {
            case "user" -> Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.just(canary)),
                    Tuple.of(1, Arbitraries.of("sweep-target", "sweep-admin", "sweep-finance", "ops", "a@b.c")));
            case "session" -> Arbitraries.of("s1", "abc123", "S".repeat(64));
            case "queue" -> Arbitraries.of("standard", "premium", "nope");
            case "stop" -> Arbitraries.of("1", "0", "42", "2147483648");
            case "projection" -> Arbitraries.of("accounts", "sessions", "statement", "finance", "nope");
            case "consumer" -> Arbitraries.of("intake", "expiry", "publisher", "nope");
            case "parked" -> Arbitraries.of("1", "42", "9223372036854775807", "9223372036854775808", "-1");
            case "file" -> Arbitraries.of("", "index.html", "console.css", "js/app.js", "js/pages", "js/nope.js",
                    "config.json", "dev-token", "..%2f..%2fapplication.yml", "%2e%2e/%2e%2e/etc/passwd",
                    "js/../index.html");
            case "audit" -> Arbitraries.of(UUID.randomUUID().toString(), "1", "00000000-0000-0000-0000-000000000000");
            default -> Arbitraries.of("api/nothing-here", "api/me", "api/admin", "api", "error", "actuator",
                    "actuator/env", "v3/api-docs/nothing");
        };
        return Arbitraries.frequencyOf(Tuple.of(4, plausible), Tuple.of(5, HostileInputs.hostileId()));
    }

    private static Arbitrary<String> query(SweepEndpoint endpoint) {
        List<String> names = new ArrayList<>(endpoint.parameters());
        Arbitrary<String> name = names.isEmpty() ? HostileInputs.hostileText()
                : Arbitraries.frequencyOf(Tuple.of(6, Arbitraries.of(names)), Tuple.of(1, HostileInputs.hostileText()));
        Arbitrary<String[]> pair = name.flatMap(n -> parameterValue(n).map(v -> new String[] {n, v}));
        int most = names.isEmpty() ? 2 : 5;
        return Combinators.combine(pair.list().ofMaxSize(most), Arbitraries.of(Encoding.class),
                        Arbitraries.of("", "", "", "&", "&&", "#frag", "&=", "&page"))
                .as((pairs, encoding, tail) -> {
                    if (pairs.isEmpty() && tail.isEmpty()) {
                        return "";
                    }
                    return "?" + pairs.stream().map(p -> encoding == Encoding.RAW ? raw(p[0]) + "=" + raw(p[1])
                            : HostileInputs.encode(p[0]) + "=" + HostileInputs.encode(p[1]))
                            .collect(Collectors.joining("&")) + tail;
                });
    }

    /** As typed, but for CR and LF: they would end the request line and make it another (HTTP/0.9) request. */
    private static String raw(String text) {
        return text.replace("\r", "%0D").replace("\n", "%0A");
    }

    private static Arbitrary<String> parameterValue(String name) {
        Arbitrary<String> plausible = switch (name) {
            case "session" -> Arbitraries.of("s1", "abc123", "");
            case "queue" -> Arbitraries.of("standard", "premium", "nope", "");
            case "from", "to", "asOf" -> Arbitraries.of("2030-01-15", "2030-01-15T10:00:00Z",
                    "2030-01-15T11:00:00+01:00", "2030-13-45", "2030-01-15T25:00:00Z", "+999999999-12-31T23:59:59Z",
                    "-999999999-01-01", "0000-01-01", "1970-01-01T00:00:00Z", "9999-12-31",
                    "2030-01-15T10:00:00.123456789Z", "now", "");
            case "granularity" -> Arbitraries.of("day", "hour", "DAY", "minute", "");
            case "page" -> Arbitraries.of("0", "1", "-1", "2147483647", "2147483646", "2147483648", "4294968",
                    "42949673", "9999999999999", "99999999999999999999", "1.5", "0x1", "");
            case "size" -> Arbitraries.of("1", "50", "500", "0", "501", "-1", "2147483647", "2147483648", "1e2", "");
            case "projection" -> Arbitraries.of("accounts", "sessions", "statement", "finance", "nope", "");
            case "consumer" -> Arbitraries.of("intake", "expiry", "publisher", "nope", "");
            case "result" -> Arbitraries.of("parked", "pending", "stopped", "no_game", "PARKED", "skipped_stale", "x");
            case "user" -> Arbitraries.of(canary, "sweep-target", "");
            default -> HostileInputs.hostileText();
        };
        return Arbitraries.frequencyOf(Tuple.of(6, plausible), Tuple.of(4, HostileInputs.hostileText()));
    }

    private static Arbitrary<List<Header>> headers() {
        Arbitrary<List<Header>> contentType = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.of(new Header("Content-Type", "application/json")))),
                Tuple.of(1, Arbitraries.just(List.of())),
                Tuple.of(4, Arbitraries.of("application/json;charset=UTF-8", "application/json; charset=bogus",
                        "application/json;charset=UTF-16", "application/json;charset=\"utf-8\"",
                        "application/json;charset=ISO-8859-1", "text/plain", "text/plain;charset=UTF-8",
                        "multipart/form-data; boundary=sweep", "multipart/form-data",
                        "application/x-www-form-urlencoded", "application/xml", "*/*", "application/*", "",
                        "application/", ";;;", "application/json, text/plain", "APPLICATION/JSON",
                        "application/vnd.api+json", "application/json-patch+json", "application/json\u0000")
                        .map(value -> List.of(new Header("Content-Type", value)))));
        Arbitrary<List<Header>> accept = Arbitraries.frequencyOf(
                Tuple.of(6, Arbitraries.just(List.of())),
                Tuple.of(4, Arbitraries.of("application/json", "text/csv", "text/csv, application/json;q=0.5",
                        "text/html", "*/*", "image/png", "application/xml", "application/json;q=abc", "text/*", ";",
                        "\u00ff", "application/json, text/csv", "text/csv;charset=bogus")
                        .map(value -> List.of(new Header("Accept", value)))));
        Arbitrary<Header> extra = Arbitraries.oneOf(
                Arbitraries.of(
                        new Header("X-Playbill-Assertion", "eyJhbGciOiJub25lIn0.eyJzdWIiOiJvcHMifQ."),
                        new Header("X-Playbill-User", "ops"), new Header("X-Playbill-Roles", "admin,finance"),
                        new Header("X-Forwarded-For", "8.8.8.8"), new Header("X-Forwarded-For", "127.0.0.1, 10.0.0.1"),
                        new Header("X-Forwarded-For", "not-an-address"), new Header("X-Forwarded-For", "300.1.1.1"),
                        new Header("Forwarded", "for=8.8.8.8;proto=https;host=evil.example"),
                        new Header("Forwarded", "for=\"[2001:db8::1]\";by=;;"),
                        new Header("X-Forwarded-Host", "evil.example"), new Header("X-Forwarded-Proto", "gopher"),
                        new Header("X-Forwarded-Prefix", "/api/admin"), new Header("X-Forwarded-Port", "99999"),
                        new Header("X-Original-URL", "/api/admin/prices/standard"),
                        new Header("X-Rewrite-URL", "/api/admin/replays/accounts"),
                        new Header("X-HTTP-Method-Override", "PUT"), new Header("Origin", "https://evil.example"),
                        new Header("Cookie", "JSESSIONID=0; SESSION=0"), new Header("Content-Encoding", "gzip"),
                        new Header("Accept-Charset", "bogus"), new Header("Range", "bytes=0-1"),
                        new Header("If-None-Match", "*")),
                Combinators.combine(Arbitraries.of("X-Playbill-User", "X-Forwarded-For", "X-Sweep", "Forwarded"),
                        HostileInputs.hostileText().filter(v -> v.indexOf('\n') < 0 && v.indexOf('\r') < 0))
                        .as(Header::new));
        return Combinators.combine(contentType, accept, extra.list().ofMaxSize(2)).as((type, acceptHeader, extras) -> {
            List<Header> all = new ArrayList<>(type);
            all.addAll(acceptHeader);
            all.addAll(extras);
            return all;
        });
    }

    private static Arbitrary<Body> body(SweepEndpoint endpoint) {
        Arbitrary<Body> bodies = HostileInputs.bodies(endpoint.fields(), endpoint.answers() == Answers.MONEY,
                endpoint.bodyLimit());
        Arbitrary<Body> none = Arbitraries.just(null);
        return endpoint.fields().isEmpty() ? Arbitraries.frequencyOf(Tuple.of(3, none), Tuple.of(1, bodies))
                : Arbitraries.frequencyOf(Tuple.of(1, none), Tuple.of(8, bodies));
    }

    // ------------------------------------------------------------------------------------------------------ helpers

    private static long projectedBalance(String user) {
        var account = send("GET", gateway + "/api/finance/users/" + user + "/account", EndToEndPlatform.admin(), null);
        assertThat(account.status()).as(account.body().toString()).isEqualTo(200);
        return account.body().path("balance").asLong();
    }

    /** An audit of the user's account (retried while the sweep's own audits run), its report once completed. */
    private static JsonNode audit(String user) {
        String admin = EndToEndPlatform.admin();
        String[] id = new String[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500)).until(() -> {
            var started = send("POST", gateway + "/api/admin/audits?user=" + user, admin, null);
            id[0] = started.status() == 202 ? started.body().path("id").asText() : null;
            return id[0] != null;
        });
        JsonNode[] report = new JsonNode[1];
        await().atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(200)).until(() -> {
            var run = send("GET", gateway + "/api/admin/audits/" + id[0], admin, null).body();
            assertThat(run.path("status").asText()).as(run.toString()).isNotEqualTo("failed");
            report[0] = run.path("report");
            return "completed".equals(run.path("status").asText());
        });
        return report[0];
    }

    private static JsonNode parse(byte[] body) {
        if (body == null || body.length == 0) {
            return null;
        }
        try {
            return TestHttp.JSON.readTree(body);
        } catch (IOException e) {
            return null;
        }
    }

    private static String abbreviate(String text) {
        return text.length() > 400 ? text.substring(0, 400) + "…" : text;
    }
}
