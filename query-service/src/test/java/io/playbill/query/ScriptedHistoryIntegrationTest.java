package io.playbill.query;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.query.support.Api;
import io.playbill.query.support.QueryServiceTest;
import io.playbill.query.support.ScriptedHistory;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The scripted history (see {@link ScriptedHistory}, figures computed by hand) through every read model and report,
 * as JSON and CSV, and through the audit.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ScriptedHistoryIntegrationTest extends QueryServiceTest {

    private static final String FINANCE = "finance";
    private ScriptedHistory history;

    @BeforeAll
    void writeHistory() throws InterruptedException {
        history = new ScriptedHistory(Instant.parse("2030-01-15T00:00:00Z")).write(ledger());
        awaitProjections();
    }

    @Test
    void accountsShowBalancePlaytimeAndActiveSessions() {
        JsonNode a = api().get("/me/account", history.userA, null).json();
        assertThat(a.get("userId").asText()).isEqualTo(history.userA);
        assertThat(a.get("balance").asLong()).isEqualTo(600);
        assertThat(a.get("playtimeSeconds").asLong()).isEqualTo(100);
        assertThat(a.get("activeSessions").asInt()).as("s3 is authorized and not over").isEqualTo(1);
        assertThat(a.get("playtimeByQueue").toString())
                .isEqualTo("[{\"queue\":\"" + history.q1 + "\",\"playtimeSeconds\":100}]");

        JsonNode b = api().get("/finance/users/" + history.userB + "/account", "fin", FINANCE).json();
        assertThat(b.get("balance").asLong()).isEqualTo(300);
        assertThat(b.get("playtimeSeconds").asLong()).isEqualTo(100);
        assertThat(b.get("activeSessions").asInt()).isZero();
    }

    @Test
    void sessionHistoryNewestFirst() {
        JsonNode page = api().get("/me/sessions", history.userA, null).json();
        assertThat(page.get("total").asLong()).isEqualTo(3);
        List<String> summary = new ArrayList<>();
        page.get("items").forEach(s -> summary.add(s.get("sessionId").asText() + " " + s.get("status").asText() + " "
                + s.get("endReason").asText() + " " + s.get("billedSeconds").asLong() + " s "
                + s.get("chargedAmount").asLong()));
        assertThat(summary).containsExactly("s3 authorized null 0 s 0", "s2 ended timed_out 0 s 0",
                "s1 ended stopped 100 s 170");
        JsonNode s1 = page.get("items").get(2);
        assertThat(s1.get("billingMode").asText()).isEqualTo("under");
        assertThat(s1.get("startedAt").asText()).isEqualTo(history.t.plusSeconds(20).toString());
        assertThat(s1.get("endedAt").asText()).isEqualTo(history.t.plusMillis(125_900).toString());
        assertThat(s1.get("deadlineSeconds").asLong()).isEqualTo(135);

        JsonNode b1 = api().get("/me/sessions", history.userB, null).json().get("items").get(0);
        assertThat(b1.get("endReason").asText()).isEqualTo("balance_exhausted");
        assertThat(b1.get("chargedAmount").asLong()).isEqualTo(500);
        assertThat(b1.get("billingMode").asText()).isEqualTo("over");
    }

    @Test
    void statementHasOneLinePerMoneyEventWithRunningBalance() {
        JsonNode page = api().get("/me/statement", history.userA, null).json();
        List<String> lines = new ArrayList<>();
        page.get("items").forEach(l -> lines.add(l.get("sequence").asLong() + " " + l.get("kind").asText() + " "
                + l.get("amount").asLong() + " " + l.get("balanceAfter").asLong()));
        assertThat(lines).containsExactly("1 deposit 1000 1000", "5 charge -50 950", "7 charge -75 875",
                "9 charge -25 850", "10 charge -20 830", "12 refund -200 630", "17 adjustment -30 600");

        JsonNode ranged = api().get("/me/statement?from=" + history.t.plusSeconds(100) + "&to="
                + history.t.plusSeconds(200), history.userA, null).json();
        assertThat(ranged.get("total").asLong()).as("the charges between T+100 s and T+200 s").isEqualTo(3);

        String csv = api().csv("/me/statement", history.userA, null).body();
        List<String> rows = csv.lines().toList();
        assertThat(rows.get(0)).isEqualTo("sequence,occurredAt,kind,amount,balanceAfter,reference,reason,session,"
                + "queue,seconds,eventId");
        assertThat(rows.get(2)).startsWith("5," + history.t.plusMillis(55_700) + ",charge,-50,950,,,s1,"
                + history.q1 + ",30,");
        assertThat(rows.get(6)).startsWith("12," + history.t.plusSeconds(200)
                + ",refund,-200,630,ref-1,\"goodwill, \"\"late\"\" start\",,,,");
        assertThat(csv).contains("\r\n");
    }

    @Test
    void financeRevenueByDayAndHourAsJsonAndCsv() {
        String range = "from=" + history.t.minusSeconds(36_000) + "&to=" + history.u.plusSeconds(86_400);
        Api.Response days = api().csv("/finance/revenue?granularity=day&" + range, "fin", FINANCE);
        assertThat(days.contentType()).startsWith("text/csv");
        assertThat(days.body().lines().toList()).containsExactly("period,queue,revenue,playtimeSeconds,sessions",
                "2030-01-15T00:00:00Z," + history.q1 + ",170,100,1",
                "2030-01-15T00:00:00Z," + history.q2 + ",0,0,1",
                "2030-01-16T00:00:00Z," + history.q2 + ",500,100,1");

        JsonNode hours = api().get("/finance/revenue?granularity=hour&" + range, "fin", FINANCE).json();
        List<String> rows = new ArrayList<>();
        hours.get("items").forEach(r -> rows.add(r.get("period").asText() + " "
                + r.get("queue").asText().substring(0, 2)
                + " " + r.get("revenue").asLong() + " " + r.get("playtimeSeconds").asLong() + " "
                + r.get("sessions").asLong()));
        assertThat(rows).containsExactly("2030-01-15T10:00:00Z q1 170 100 1", "2030-01-15T10:00:00Z q2 0 0 1",
                "2030-01-16T00:00:00Z q2 355 71 1", "2030-01-16T01:00:00Z q2 145 29 0");

        JsonNode onlyQ2 = api().get("/finance/revenue?granularity=day&queue=" + history.q2 + "&" + range, "fin",
                "admin").json();
        assertThat(onlyQ2.get("total").asLong()).isEqualTo(2);
    }

    @Test
    void depositsByDay() {
        String range = "from=2030-01-15&to=2030-01-17";
        assertThat(api().csv("/finance/deposits?" + range, "fin", FINANCE).body().lines().toList()).containsExactly(
                "day,deposits,depositAmount,refunds,refundAmount,adjustments,adjustmentAmount",
                "2030-01-15,1,1000,1,200,1,-30",
                "2030-01-16,2,750,0,0,1,50");
    }

    @Test
    void liabilityAsOfAnyInstant() {
        assertThat(liability(history.t.minusMillis(1))).isZero();
        // PostgreSQL keeps microseconds; an instant finer than that was rounded up to T, and the deposit at T counted.
        assertThat(liability(history.t.minusNanos(1))).as("a nanosecond before T").isZero();
        assertThat(liability(history.t)).as("the deposit at T counts as of T").isEqualTo(1000);
        assertThat(liability(history.t.plusSeconds(300))).isEqualTo(630);
        assertThat(liability(history.u.plusSeconds(15))).as("mid-minute: B's deposit and start charge").isEqualTo(950);
        assertThat(liability(history.u.plusSeconds(30))).isEqualTo(745);
        assertThat(liability(history.u.plusSeconds(7200))).isEqualTo(900);
        assertThat(api().csv("/finance/liability?asOf=" + history.t, "fin", FINANCE).body())
                .isEqualTo("asOf,liability\r\n" + history.t + ",1000\r\n");
    }

    @Test
    void activeSessionsNow() {
        JsonNode active = api().get("/finance/sessions/active?queue=" + history.q2, "fin", FINANCE).json();
        assertThat(active.get("total").asLong()).isEqualTo(1);
        assertThat(active.get("items").get(0).get("userId").asText()).isEqualTo(history.userA);
        assertThat(active.get("items").get(0).get("sessionId").asText()).isEqualTo("s3");
    }

    /** An empty or blank {@code queue} is no queue, as /finance/prices has it: filtering on queue '' found nothing. */
    @Test
    void aBlankQueueIsNoQueue() {
        String range = "from=2030-01-15&to=2030-01-17";
        long revenue = api().get("/finance/revenue?" + range, "fin", FINANCE).json().get("total").asLong();
        long active = api().get("/finance/sessions/active", "fin", FINANCE).json().get("total").asLong();
        long prices = api().get("/finance/prices", "fin", FINANCE).json().get("total").asLong();
        assertThat(revenue).isGreaterThanOrEqualTo(3);
        assertThat(active).isGreaterThanOrEqualTo(1);
        for (String blank : new String[]{"", "%20%20"}) {
            assertThat(api().get("/finance/revenue?" + range + "&queue=" + blank, "fin", FINANCE).json().get("total")
                    .asLong()).as("revenue, queue='%s'", blank).isEqualTo(revenue);
            assertThat(api().get("/finance/sessions/active?queue=" + blank, "fin", FINANCE).json().get("total")
                    .asLong()).as("active sessions, queue='%s'", blank).isEqualTo(active);
            assertThat(api().get("/finance/prices?queue=" + blank, "fin", FINANCE).json().get("total").asLong())
                    .as("prices, queue='%s'", blank).isEqualTo(prices);
        }
    }

    @Test
    void financeSeesAnyUsersStatement() {
        String csv = api().csv("/finance/users/" + history.userB + "/statement", "fin", FINANCE).body();
        assertThat(csv).contains(",adjustment,50,300,adj-b1,\"promo, \"\"spring\"\"\nsecond line\",,,,");
        assertThat(csv.lines().filter(line -> line.contains(",charge,")).count()).isEqualTo(3);
    }

    @Test
    void auditOfTheCleanHistoryFindsNothing() throws InterruptedException {
        JsonNode one = audit("?user=" + history.userA);
        assertThat(one.get("findings").toString()).isEqualTo("[]");
        assertThat(one.get("clean").asBoolean()).isTrue();
        assertThat(one.get("accountsChecked").asLong()).isEqualTo(1);
        assertThat(one.get("storeEvents").asLong()).isEqualTo(19);
        assertThat(one.get("topicRecords").asLong()).as("19 events, 4 of them delivered twice").isEqualTo(23);
        assertThat(one.get("balance").asLong()).isEqualTo(600);

        JsonNode asOf = audit("?user=" + history.userA + "&asOf=" + history.t.plusSeconds(300));
        assertThat(asOf.get("balance").asLong()).isEqualTo(630);
        assertThat(asOf.get("clean").asBoolean()).as(asOf.toString()).isTrue();

        JsonNode all = audit("");
        assertThat(all.get("findings").toString()).isEqualTo("[]");
        assertThat(all.get("accountsChecked").asLong()).isGreaterThanOrEqualTo(2);
        assertThat(all.get("notes").toString()).as("a quiet ledger: the global rollups are compared").isEqualTo("[]");
    }

    private long liability(Instant asOf) {
        return api().get("/finance/liability?asOf=" + asOf, "fin", FINANCE).json().get("liability").asLong();
    }
}
