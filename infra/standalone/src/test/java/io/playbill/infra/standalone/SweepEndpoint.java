package io.playbill.infra.standalone;

import io.playbill.infra.standalone.HostileInputs.Field;
import io.playbill.infra.standalone.HostileInputs.Rule;

import java.util.List;

import static io.playbill.infra.standalone.HostileInputs.Field.optional;
import static io.playbill.infra.standalone.HostileInputs.Field.required;

/**
 * Every public endpoint of the platform as the hostile sweep sees it (docs/api.md, docs/api-query.md,
 * docs/cloud-game.md): method and path template, who may call it, how it answers, its query parameters and its body
 * fields. {@code HostileSweepTest} checks that the gateway's OpenAPI document lists no path missing here.
 */
enum SweepEndpoint {

    GAME_AUTH_TOKEN("GET", "/api/game/authToken", Access.USER, Answers.GATEWAY, List.of("session", "queue")),
    GAME_START("POST", "/api/game/start", Access.USER, Answers.GATEWAY,
            required("session", Rule.SESSION), optional("queue", Rule.QUEUE)),
    GAME_RENEW("POST", "/api/game/renew", Access.USER, Answers.GATEWAY,
            required("session", Rule.SESSION), required("lastDeadline", Rule.LAST_DEADLINE)),
    GAME_STOP("POST", "/api/game/stop", Access.USER, Answers.GATEWAY, required("session", Rule.SESSION)),

    DEPOSIT("POST", "/api/admin/accounts/{user}/deposits", Access.STAFF, Answers.MONEY,
            required("amount", Rule.AMOUNT_POSITIVE), required("reference", Rule.REFERENCE)),
    REFUND("POST", "/api/admin/accounts/{user}/refunds", Access.STAFF, Answers.MONEY,
            required("amount", Rule.AMOUNT_POSITIVE), required("reference", Rule.REFERENCE),
            required("reason", Rule.REASON)),
    ADJUSTMENT("POST", "/api/admin/accounts/{user}/adjustments", Access.STAFF, Answers.MONEY,
            required("amount", Rule.AMOUNT_NON_ZERO), required("reference", Rule.REFERENCE),
            required("reason", Rule.REASON)),
    SESSION_STOP("POST", "/api/admin/accounts/{user}/sessions/{session}/stop", Access.STAFF, Answers.GATEWAY,
            List.of()),
    PRICE("PUT", "/api/admin/prices/{queue}", Access.ADMIN, Answers.MONEY, required("pricePerMinute", Rule.PRICE)),
    CLOUD_STOPS("GET", "/api/admin/cloud/stops", Access.ADMIN, Answers.GATEWAY, List.of("result", "page", "size")),
    CLOUD_STOP_RETRY("POST", "/api/admin/cloud/stops/{stop}/retry", Access.ADMIN, Answers.GATEWAY, List.of()),
    STOPPER_PARKED("GET", "/api/admin/cloud/stopper/parked", Access.ADMIN, Answers.GATEWAY, List.of("page", "size")),
    STOPPER_PARKED_RETRY("POST", "/api/admin/cloud/stopper/parked/{stop}/retry", Access.ADMIN, Answers.GATEWAY,
            List.of()),
    STOPPER_PARKED_SKIP("POST", "/api/admin/cloud/stopper/parked/{stop}/skip", Access.ADMIN, Answers.GATEWAY,
            List.of()),
    /** The platform parks nothing, so a retry or skip the sweep sends finds no item. */
    LEDGER_PARKED_RETRY("POST", "/api/admin/ledger/parked/{consumer}/retry", Access.ADMIN, Answers.GATEWAY,
            required("item", Rule.FREE)),
    LEDGER_PARKED_SKIP("POST", "/api/admin/ledger/parked/{consumer}/skip", Access.ADMIN, Answers.GATEWAY,
            required("item", Rule.FREE)),

    CLOUD_START("POST", "/api/cloud/start", Access.USER, Answers.GATEWAY,
            required("clientSession", Rule.CLIENT_SESSION), required("gameId", Rule.GAME_ID),
            optional("session", Rule.SESSION), optional("queue", Rule.QUEUE), optional("gameRegion", Rule.REGION),
            optional("groupId", Rule.GROUP_ID), optional("resolution", Rule.RESOLUTION),
            optional("gameParas", Rule.GAME_PARAS), optional("imageUrl", Rule.IMAGE_URL),
            optional("maxBitrate", Rule.BITRATE), optional("minBitrate", Rule.BITRATE), optional("fps", Rule.FPS),
            optional("userId", Rule.FREE)),
    CLOUD_STOP("POST", "/api/cloud/stop", Access.USER, Answers.GATEWAY, List.of()),
    CLOUD_QUEUE("GET", "/api/cloud/queue", Access.USER, Answers.GATEWAY, List.of()),
    CLOUD_LEAVE_QUEUE("DELETE", "/api/cloud/queue", Access.USER, Answers.GATEWAY, List.of()),

    V1_START("POST", "/StartCloudGame", Access.USER, Answers.DEMO_V1,
            required("GameId", Rule.GAME_ID), required("ClientSession", Rule.CLIENT_SESSION),
            optional("GameRegion", Rule.REGION), optional("GroupId", Rule.GROUP_ID),
            optional("Resolution", Rule.RESOLUTION), optional("MaxBitrate", Rule.BITRATE),
            optional("Fps", Rule.FPS), optional("UserId", Rule.FREE)),
    V1_STOP("POST", "/StopCloudGame", Access.USER, Answers.DEMO_V1, optional("UserId", Rule.FREE)),
    V2_START("POST", "/StartGame", Access.USER, Answers.DEMO_V2,
            required("GameId", Rule.GAME_ID), required("ClientSession", Rule.CLIENT_SESSION),
            optional("UserId", Rule.FREE), optional("RequestId", Rule.FREE), optional("Sign", Rule.FREE),
            optional("TimeStamp", Rule.FREE), optional("GameRegion", Rule.REGION), optional("Fps", Rule.FPS)),
    V2_STOP("POST", "/StopGame", Access.USER, Answers.DEMO_V2,
            optional("UserId", Rule.FREE), optional("RequestId", Rule.FREE)),
    V2_ENQUEUE("POST", "/Enqueue", Access.USER, Answers.DEMO_V2,
            required("GameId", Rule.GAME_ID), optional("GameRegion", Rule.REGION), optional("GroupId", Rule.GROUP_ID),
            optional("UserId", Rule.FREE), optional("RequestId", Rule.FREE)),
    V2_DEQUEUE("POST", "/Dequeue", Access.USER, Answers.DEMO_V2,
            optional("UserId", Rule.FREE), optional("RequestId", Rule.FREE)),

    ME_ACCOUNT("GET", "/api/me/account", Access.USER, Answers.READ, List.of()),
    ME_SESSIONS("GET", "/api/me/sessions", Access.USER, Answers.READ, List.of("page", "size")),
    ME_STATEMENT("GET", "/api/me/statement", Access.USER, Answers.READ, List.of("from", "to", "page", "size")),
    ME_PRICES("GET", "/api/me/prices", Access.USER, Answers.READ, List.of("page", "size")),
    FINANCE_REVENUE("GET", "/api/finance/revenue", Access.STAFF, Answers.READ,
            List.of("from", "to", "granularity", "queue", "page", "size")),
    FINANCE_DEPOSITS("GET", "/api/finance/deposits", Access.STAFF, Answers.READ, List.of("from", "to", "page", "size")),
    FINANCE_LIABILITY("GET", "/api/finance/liability", Access.STAFF, Answers.READ, List.of("asOf")),
    FINANCE_USER_STATEMENT("GET", "/api/finance/users/{user}/statement", Access.STAFF, Answers.READ,
            List.of("from", "to", "page", "size")),
    FINANCE_USER_ACCOUNT("GET", "/api/finance/users/{user}/account", Access.STAFF, Answers.READ, List.of()),
    FINANCE_PRICES("GET", "/api/finance/prices", Access.STAFF, Answers.READ, List.of("queue", "page", "size")),
    FINANCE_ACTIVE_SESSIONS("GET", "/api/finance/sessions/active", Access.STAFF, Answers.READ,
            List.of("queue", "page", "size")),
    REPLAY_START("POST", "/api/admin/replays/{projection}", Access.ADMIN, Answers.READ, List.of()),
    REPLAY_STATUS("GET", "/api/admin/replays/{projection}", Access.ADMIN, Answers.READ, List.of()),
    REPLAYS("GET", "/api/admin/replays", Access.ADMIN, Answers.READ, List.of()),
    AUDIT_START("POST", "/api/admin/audits", Access.ADMIN, Answers.READ, List.of("user", "asOf")),
    AUDIT_STATUS("GET", "/api/admin/audits/{audit}", Access.ADMIN, Answers.READ, List.of()),
    PARKED_EVENTS("GET", "/api/admin/parked/events", Access.ADMIN, Answers.READ,
            List.of("projection", "page", "size")),
    PARKED_EVENT("GET", "/api/admin/parked/events/{parked}", Access.ADMIN, Answers.READ, List.of()),
    PARKED_EVENT_RETRY("POST", "/api/admin/parked/events/{parked}/retry", Access.ADMIN, Answers.READ, List.of()),
    PARKED_EVENT_SKIP("POST", "/api/admin/parked/events/{parked}/skip", Access.ADMIN, Answers.READ, List.of()),
    PARKED_LEDGER("GET", "/api/admin/parked/ledger", Access.ADMIN, Answers.READ, List.of("consumer", "page", "size")),

    /** The web console's files (docs/console.md): public, any file name, HTML, scripts and styles when found. */
    CONSOLE_FILE("GET", "/console/{file}", Access.PUBLIC, Answers.CONSOLE, List.of()),
    CONSOLE_CONFIG("GET", "/console/config.json", Access.PUBLIC, Answers.GATEWAY, List.of()),
    /** Dev mode only (as the platform runs): a token for whoever asks, so it may succeed for anyone. */
    CONSOLE_DEV_TOKEN("POST", "/console/dev-token", Access.PUBLIC, Answers.GATEWAY,
            required("user", Rule.USER_ID), optional("roles", Rule.ROLES)),
    HEALTH("GET", "/actuator/health", Access.PUBLIC, Answers.GATEWAY, List.of()),
    API_DOCS("GET", "/v3/api-docs", Access.PUBLIC, Answers.GATEWAY, List.of()),
    /** Opened only by the scrape token, which no sweep caller has: a user token, even an admin's, is refused. */
    METRICS("GET", "/actuator/prometheus", Access.SCRAPER, Answers.GATEWAY, List.of()),

    /** No such endpoint (or one that is no API): 404 to an authenticated caller, 401 otherwise. */
    UNKNOWN("GET", "/{anything}", Access.USER, Answers.GATEWAY, List.of("page"));

    /**
     * Who may call it: anyone, any user with a valid token, staff (role admin or finance), role admin only, or only
     * the metrics scraper.
     */
    enum Access { PUBLIC, USER, STAFF, ADMIN, SCRAPER }

    /**
     * How it answers: gateway endpoints in JSON; {@code MONEY} endpoints the same, and the sweep sends them only
     * bodies that break a rule; reads (query-service) in JSON or, when asked, CSV; the demo paths in their own shapes;
     * the console's files as HTML, scripts or styles (its errors in JSON like any other).
     */
    enum Answers { GATEWAY, MONEY, READ, DEMO_V1, DEMO_V2, CONSOLE }

    private final String method;
    private final String template;
    private final Access access;
    private final Answers answers;
    private final List<String> parameters;
    private final List<Field> fields;

    SweepEndpoint(String method, String template, Access access, Answers answers, List<String> parameters) {
        this.method = method;
        this.template = template;
        this.access = access;
        this.answers = answers;
        this.parameters = parameters;
        this.fields = List.of();
    }

    SweepEndpoint(String method, String template, Access access, Answers answers, Field... fields) {
        this.method = method;
        this.template = template;
        this.access = access;
        this.answers = answers;
        this.parameters = List.of();
        this.fields = List.of(fields);
    }

    String method() {
        return method;
    }

    String template() {
        return template;
    }

    Access access() {
        return access;
    }

    Answers answers() {
        return answers;
    }

    List<String> parameters() {
        return parameters;
    }

    List<Field> fields() {
        return fields;
    }

    /** The largest body the gateway accepts on it (docs/api.md, "Input rules"). */
    int bodyLimit() {
        return List.of("/api/cloud/start", "/StartCloudGame", "/StartGame", "/Enqueue").contains(template)
                ? 64 * 1024 : 8 * 1024;
    }

    boolean isDemo() {
        return answers == Answers.DEMO_V1 || answers == Answers.DEMO_V2;
    }
}
