package io.playbill.query.web;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.infra.test.RawHttp;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.BalanceAdjusted;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.events.FundsRefunded;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.support.Api;
import io.playbill.query.support.LedgerFixture;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.trust.CallerAssertion;
import org.junit.jupiter.api.Test;
import org.springframework.http.HttpMethod;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/** Roles, errors, paging and CSV of the HTTP API (the trust boundary itself: TrustBoundaryIntegrationTest). */
class ApiContractIntegrationTest extends QueryServiceTest {

    @Test
    void anyUserIdArrivesIntactInTheAssertion() throws Exception {
        String user = "zoë 100% \"x\",=1-" + UUID.randomUUID().toString().substring(0, 8);
        long t = Instant.parse("2034-04-01T00:00:00Z").toEpochMilli();
        ledger().account(user).add(new AccountOpened(user, t), new FundsDeposited(user, "d", Money.of(5), Money.of(5), t, null));
        awaitProjections();
        JsonNode account = api().get("/me/account", user, null).json();
        assertThat(account.get("userId").asText()).isEqualTo(user);
        assertThat(account.get("balance").asLong()).isEqualTo(5);
    }

    @Test
    void reportsNeedTheirRoles() {
        assertThat(api().get("/finance/liability", "player", null).status()).isEqualTo(403);
        assertThat(api().get("/finance/liability", "player", "support").status()).isEqualTo(403);
        assertThat(api().get("/finance/liability", "fin", "finance").status()).isEqualTo(200);
        assertThat(api().get("/finance/liability", "ops", "Admin").status()).isEqualTo(200);
        Api.Response forbidden = api().post("/admin/replays/accounts", "fin", "finance");
        assertThat(forbidden.status()).isEqualTo(403);
        assertThat(forbidden.json().get("error").get("code").asText()).isEqualTo("forbidden");
        assertThat(api().post("/admin/audits", "fin", "finance").status()).isEqualTo(403);
        assertThat(api().get("/admin/replays", "ops", "finance,admin").status()).isEqualTo(200);
    }

    @Test
    void anUnknownUserHasAnEmptyAccount() {
        JsonNode account = api().get("/me/account", "nobody-" + UUID.randomUUID(), null).json();
        assertThat(account.get("balance").asLong()).isZero();
        assertThat(account.get("playtimeSeconds").asLong()).isZero();
        assertThat(account.get("activeSessions").asInt()).isZero();
        assertThat(api().get("/me/sessions", "nobody", null).json().get("total").asLong()).isZero();
    }

    @Test
    void whatTomcatRefusesBeforeAnyServletIsJsonToo() {
        // Tomcat's own HTML error page before.
        for (String target : List.of("/me/account?x=a|b", "/me/%00", "/me/account?x=" + "a".repeat(40_000))) {
            RawHttp.Answer answer = RawHttp.get(port, target);

            assertThat(answer.status()).as(target).isEqualTo(400);
            assertThat(answer.contentType()).as(target).startsWith("application/json");
            assertThat(answer.body()).as(target).contains("\"code\":\"bad_request\"");
        }
    }

    @Test
    void badParametersAre400WithACode() {
        assertThat(error(api().get("/finance/revenue?from=yesterday&to=2030-01-01", "f", "finance")))
                .isEqualTo("400 invalid_from");
        assertThat(error(api().get("/finance/revenue?from=2030-01-02&to=2030-01-01", "f", "finance")))
                .isEqualTo("400 invalid_range");
        assertThat(error(api().get("/finance/revenue?to=2030-01-01", "f", "finance"))).isEqualTo("400 missing_from");
        assertThat(error(api().get("/finance/revenue?from=2030-01-01&to=2030-01-02&granularity=week", "f",
                "finance"))).isEqualTo("400 invalid_granularity");
        assertThat(error(api().get("/me/statement?size=501", "u", null))).isEqualTo("400 invalid_size");
        assertThat(error(api().get("/me/statement?size=0", "u", null))).isEqualTo("400 invalid_size");
        assertThat(error(api().get("/me/sessions?page=-1", "u", null))).isEqualTo("400 invalid_page");
        assertThat(error(api().get("/me/sessions?page=x", "u", null))).isEqualTo("400 invalid_page");
        // PostgreSQL's text cannot hold a NUL: sent on, it failed the query (a 500 before).
        assertThat(error(api().get("/finance/revenue?from=2030-01-01&to=2030-01-02&queue=%00", "f", "finance")))
                .isEqualTo("400 invalid_queue");
        assertThat(error(api().get("/finance/sessions/active?queue=a%00b", "f", "finance")))
                .isEqualTo("400 invalid_queue");
        assertThat(error(api().get("/finance/prices?queue=%00", "f", "finance"))).isEqualTo("400 invalid_queue");
        assertThat(error(api().get("/finance/liability?asOf=2030-13-01", "f", "finance")))
                .isEqualTo("400 invalid_as_of");
        // Java reads such a year, PostgreSQL refused it in the query (a 500 before).
        assertThat(error(api().get("/finance/liability?asOf=%2B999999999-12-31T23:59:59Z", "f", "finance")))
                .isEqualTo("400 invalid_as_of");
        assertThat(error(api().get("/finance/revenue?from=-000001-01-01T00:00:00Z&to=2030-01-02", "f", "finance")))
                .isEqualTo("400 invalid_from");
        assertThat(error(api().post("/admin/audits?asOf=soon", "o", "admin"))).isEqualTo("400 invalid_as_of");
        // Started before, the audit then failed inside PostgreSQL on the NUL.
        assertThat(error(api().post("/admin/audits?user=a%00b", "o", "admin"))).isEqualTo("400 invalid_user");
        assertThat(error(api().post("/admin/audits?user=" + "u".repeat(65), "o", "admin")))
                .isEqualTo("400 invalid_user");
        // A path near the gateway's header limit arrives with its assertion holding it again: Tomcat answered in HTML.
        Api.Response longPath = api().get("/finance/users/" + "a".repeat(5000) + "/account", "f", "finance");
        assertThat(longPath.status()).isLessThan(500);
        assertThat(longPath.contentType()).startsWith("application/json");
        assertThat(error(api().post("/admin/replays/everything", "o", "admin"))).isEqualTo("404 unknown_projection");
        assertThat(error(api().get("/admin/audits/nope", "o", "admin"))).isEqualTo("404 unknown_audit");
        assertThat(error(api().get("/me/nothing", "u", null))).isEqualTo("404 not_found");
        assertThat(error(api().call(HttpMethod.DELETE, "/me/account", "u", null, "application/json")))
                .isEqualTo("405 method_not_allowed");
        assertThat(error(api().call(HttpMethod.GET, "/me/account", "u", null, "application/xml")))
                .isEqualTo("406 not_acceptable");
        assertThat(api().csv("/finance/revenue?from=x&to=y", "f", "finance").contentType())
                .as("errors are JSON even when CSV was asked for").startsWith("application/json");
    }

    /**
     * A statement bound given alone is compared with the widest the time rules allow, never with a default the caller
     * did not give: from in 9999's last day, or to before 1970, was a 400 invalid_range.
     */
    @Test
    void aStatementBoundGivenAloneIsNeverAnInvalidRange() throws Exception {
        String user = "bounds-" + UUID.randomUUID().toString().substring(0, 8);
        long t = Instant.parse("2034-03-01T00:00:00Z").toEpochMilli();
        ledger().account(user).add(new AccountOpened(user, t),
                new FundsDeposited(user, "d", Money.of(5), Money.of(5), t, null));
        awaitProjections();

        Api.Response late = api().get("/me/statement?from=9999-12-31T12:00:00Z", user, null);
        assertThat(late.status()).as(late.body()).isEqualTo(200);
        assertThat(late.json().get("total").asLong()).isZero();
        Api.Response early = api().get("/finance/users/" + user + "/statement?to=1960-01-01", "f", "finance");
        assertThat(early.status()).as(early.body()).isEqualTo(200);
        assertThat(early.json().get("total").asLong()).isZero();
        assertThat(api().get("/me/statement?from=2034-03-01", user, null).json().get("total").asLong()).isEqualTo(1);
        assertThat(api().get("/me/statement?to=2034-03-02", user, null).json().get("total").asLong()).isEqualTo(1);
        assertThat(error(api().get("/me/statement?from=2034-03-02&to=2034-03-01", user, null)))
                .isEqualTo("400 invalid_range");
    }

    @Test
    void aWrongMethodSaysWhichMethodsAreAllowed() {
        Api.Response delete = api().call(HttpMethod.DELETE, "/finance/revenue", "f", "finance", "application/json");

        assertThat(delete.error()).isEqualTo("405 method_not_allowed");
        assertThat(delete.header("Allow")).as("the gateway passes it on to the client").contains("GET");
    }

    @Test
    void aMultipartContentTypeIsNotParsed() {
        // No endpoint takes an upload; parsing a malformed multipart request answered 500.
        Api.Response account = api().send("GET", "/me/account", Map.of("Accept", "application/json",
                "Content-Type", "multipart/form-data", CallerAssertion.HEADER,
                api().assertion("GET", "/me/account", "multipart-user", null)));

        assertThat(account.status()).as(account.body()).isEqualTo(200);
        assertThat(account.json().get("userId").asText()).isEqualTo("multipart-user");
    }

    @Test
    void listsPageInAStableOrder() throws Exception {
        String user = "pager-" + UUID.randomUUID();
        long t = Instant.parse("2034-02-01T00:00:00Z").toEpochMilli();
        LedgerFixture.Account account = ledger().account(user).add(new AccountOpened(user, t));
        for (int i = 1; i <= 7; i++) {
            // Two deposits per millisecond: ties are ordered by the account's sequence.
            account.add(new FundsDeposited(user, "d" + i, Money.of(i), Money.of(i * (i + 1) / 2), t + i / 2, null));
        }
        awaitProjections();
        List<Long> sequences = new ArrayList<>();
        for (int page = 0; page < 3; page++) {
            JsonNode body = api().get("/me/statement?size=3&page=" + page, user, null).json();
            assertThat(body.get("total").asLong()).isEqualTo(7);
            assertThat(body.get("size").asInt()).isEqualTo(3);
            body.get("items").forEach(line -> sequences.add(line.get("sequence").asLong()));
        }
        assertThat(sequences).containsExactly(1L, 2L, 3L, 4L, 5L, 6L, 7L);
        assertThat(api().get("/me/statement?size=3&page=3", user, null).json().get("items")).isEmpty();
        assertThat(api().csv("/me/statement?size=2&page=1", user, null).body().lines()).hasSize(3);
    }

    @Test
    void csvQuotesSeparatorsQuotesAndLineBreaks() throws Exception {
        String user = "csv-" + UUID.randomUUID();
        long t = Instant.parse("2034-03-01T00:00:00Z").toEpochMilli();
        ledger().account(user).add(new AccountOpened(user, t), new FundsDeposited(user, "plain", Money.of(10), Money.of(10), t, null),
                new BalanceAdjusted(user, "ref,1", Money.of(5), "said \"hi\",\r\nthen left", Money.of(15), t + 1, null));
        awaitProjections();
        String csv = api().csv("/me/statement", user, null).body();
        assertThat(csv).startsWith("sequence,occurredAt,kind,amount,balanceAfter,reference,reason,session,queue,"
                + "seconds,eventId\r\n1,2034-03-01T00:00:00Z,deposit,10,10,plain,,,,,");
        assertThat(csv).contains("\r\n2,2034-03-01T00:00:00.001Z,adjustment,5,15,\"ref,1\","
                + "\"said \"\"hi\"\",\r\nthen left\",,,,");
        assertThat(CsvMessageConverter.escape("a\"b")).isEqualTo("\"a\"\"b\"");
        assertThat(CsvMessageConverter.escape("-1")).isEqualTo("-1");
    }

    @Test
    void csvTextThatASpreadsheetWouldRunIsNeutralisedAndNumbersStayNumbers() throws Exception {
        String user = "formula-" + UUID.randomUUID();
        long t = Instant.parse("2034-03-02T00:00:00Z").toEpochMilli();
        ledger().account(user).add(new AccountOpened(user, t), new FundsDeposited(user, "@dep", Money.of(100), Money.of(100), t, null),
                new FundsRefunded(user, "+ref", Money.of(10), "=HYPERLINK(\"http://evil\",\"x\")", Money.of(90), t + 1, null),
                new BalanceAdjusted(user, "-adj", Money.of(-50), "\tcorrection", Money.of(40), t + 2, null));
        awaitProjections();

        List<String> rows = api().csv("/me/statement", user, null).body().lines().toList();

        assertThat(rows).containsExactly("sequence,occurredAt,kind,amount,balanceAfter,reference,reason,session,queue,"
                        + "seconds,eventId",
                "1,2034-03-02T00:00:00Z,deposit,100,100,'@dep,,,,," + eventId(user, 1),
                "2,2034-03-02T00:00:00.001Z,refund,-10,90,'+ref,\"'=HYPERLINK(\"\"http://evil\"\",\"\"x\"\")\",,,,"
                        + eventId(user, 2),
                "3,2034-03-02T00:00:00.002Z,adjustment,-50,40,'-adj,'\tcorrection,,,," + eventId(user, 3));
        assertThat(api().get("/me/statement", user, null).json().get("items").get(1).get("reason").asText())
                .as("JSON is data, not a spreadsheet: unchanged").isEqualTo("=HYPERLINK(\"http://evil\",\"x\")");
        assertThat(CsvMessageConverter.neutralise("\r1")).isEqualTo("'\r1");
        assertThat(CsvMessageConverter.neutralise("a=1")).isEqualTo("a=1");
    }

    private String eventId(String user, int sequence) {
        return api().get("/me/statement", user, null).json().get("items").get(sequence - 1).get("eventId").asText();
    }

    private static String error(Api.Response response) {
        return response.error();
    }
}
