package io.playbill.query.statement;

import com.fasterxml.jackson.databind.JsonNode;
import io.playbill.ledger.api.events.AccountOpened;
import io.playbill.ledger.api.events.FundsDeposited;
import io.playbill.ledger.api.values.Money;
import io.playbill.query.support.Api;
import io.playbill.query.support.LedgerFixture;
import io.playbill.query.support.QueryServiceTest;
import org.junit.jupiter.api.Test;
import org.springframework.jdbc.core.ConnectionCallback;

import java.nio.charset.StandardCharsets;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.UUID;
import java.util.function.Function;
import java.util.stream.LongStream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A statement read by keyset ({@code order}, {@code after}): every line exactly once in either order, lines of one
 * instant too, no total, the cursor in the JSON body and in a header for CSV; and cursors it did not give are 400.
 */
class StatementKeysetIntegrationTest extends QueryServiceTest {

    private static final int LINES = 11;

    /** A user with {@value #LINES} deposits, three to a millisecond, so that ties fall across answers. */
    private String userWithLines() throws InterruptedException {
        String user = "keyset-" + UUID.randomUUID();
        long t = Instant.parse("2034-04-01T00:00:00Z").toEpochMilli();
        LedgerFixture.Account account = ledger().account(user).add(new AccountOpened(user, t));
        for (int i = 1; i <= LINES; i++) {
            account.add(new FundsDeposited(user, "d" + i, Money.of(i), Money.of(i * (i + 1) / 2), t + i / 3, null));
        }
        awaitProjections();
        return user;
    }

    @Test
    void aWalkOldestFirstAndOneNewestFirstGetEveryLineOnceInOrder() throws Exception {
        String user = userWithLines();
        List<Long> ascending = LongStream.rangeClosed(1, LINES).boxed().toList();
        List<Long> descending = LongStream.rangeClosed(1, LINES).map(i -> LINES + 1 - i).boxed().toList();

        assertThat(walk("/me/statement?order=asc&size=3", path -> api().get(path, user, null)))
                .isEqualTo(ascending);
        assertThat(walk("/me/statement?order=desc&size=4", path -> api().get(path, user, null)))
                .isEqualTo(descending);
        assertThat(walk("/finance/users/" + user + "/statement?order=desc&size=2", path -> api().get(path, "f",
                "finance"))).isEqualTo(descending);
        // Sizes that end exactly on the last line answer no next: no empty last answer.
        assertThat(walk("/me/statement?order=asc&size=" + LINES, path -> api().get(path, user, null)))
                .isEqualTo(ascending);

        JsonNode first = api().get("/me/statement?order=desc&size=1", user, null).json();
        assertThat(first.has("total")).as("a keyset answer counts nothing").isFalse();
        assertThat(first.get("size").asInt()).isEqualTo(1);
        assertThat(first.get("items").get(0).get("sequence").asLong()).isEqualTo(LINES);
        // The page/size form is unchanged beside it.
        JsonNode page = api().get("/me/statement?size=3&page=1", user, null).json();
        assertThat(page.get("total").asLong()).isEqualTo(LINES);
        assertThat(page.get("page").asInt()).isEqualTo(1);
        assertThat(page.has("next")).isFalse();
        assertThat(page.get("items").findValuesAsText("sequence")).containsExactly("4", "5", "6");
    }

    @Test
    void aRangeBoundsTheWalk() throws Exception {
        String user = userWithLines();
        // Lines 3, 4, 5 are at t + 1 ms; 6, 7, 8 at t + 2 ms.
        String range = "from=2034-04-01T00:00:00.001Z&to=2034-04-01T00:00:00.003Z";

        assertThat(walk("/me/statement?order=asc&size=2&" + range, path -> api().get(path, user, null)))
                .containsExactly(3L, 4L, 5L, 6L, 7L, 8L);
        assertThat(walk("/me/statement?order=desc&size=4&" + range, path -> api().get(path, user, null)))
                .containsExactly(8L, 7L, 6L, 5L, 4L, 3L);
    }

    @Test
    void csvFollowsTheCursorInAHeader() throws Exception {
        String user = userWithLines();
        List<Long> sequences = new ArrayList<>();
        String path = "/me/statement?order=asc&size=4";
        for (int answers = 0; answers < 10; answers++) {
            Api.Response csv = api().csv(path, user, null);
            assertThat(csv.status()).as(csv.body()).isEqualTo(200);
            assertThat(csv.contentType()).startsWith("text/csv");
            List<String> rows = csv.body().lines().toList();
            assertThat(rows.get(0)).startsWith("sequence,occurredAt,kind,amount,balanceAfter,");
            rows.stream().skip(1).forEach(row -> sequences.add(Long.parseLong(row.substring(0, row.indexOf(',')))));
            String next = csv.header(StatementController.NEXT_HEADER);
            if (next == null) {
                break;
            }
            path = "/me/statement?order=asc&size=4&after=" + next;
        }
        assertThat(sequences).isEqualTo(LongStream.rangeClosed(1, LINES).boxed().toList());
    }

    @Test
    void cursorsItDidNotGiveAre400() throws Exception {
        String user = userWithLines();
        JsonNode first = api().get("/me/statement?order=desc&size=2", user, null).json();
        String next = first.get("next").asText();
        Instant lineTime = Instant.parse(first.get("items").get(1).get("occurredAt").asText());
        long micros = lineTime.getEpochSecond() * 1_000_000 + lineTime.getNano() / 1_000;

        assertThat(api().get("/me/statement?after=" + next, user, null).status()).as("the order is the cursor's")
                .isEqualTo(200);
        assertThat(error("/me/statement?order=asc&after=" + next, user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=", user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=not-a-cursor", user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=%2B%2F%3D%3D", user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + "A".repeat(65), user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + next + "A", user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + cursor("x" + micros + ":9"), user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + cursor("d" + micros + ":-9"), user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + cursor("d0" + micros + ":9"), user)).isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + cursor("d99999999999999999999:9"), user))
                .isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + cursor("d253402300800000000:9"), user))
                .as("year 10000").isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?after=" + next + "%3D", user)).as("padded").isEqualTo("400 invalid_after");
        assertThat(error("/me/statement?order=sideways", user)).isEqualTo("400 invalid_order");
        assertThat(error("/me/statement?order=", user)).isEqualTo("400 invalid_order");
        assertThat(error("/me/statement?order=asc&page=1", user)).isEqualTo("400 invalid_page");
        assertThat(error("/me/statement?order=desc&size=501", user)).isEqualTo("400 invalid_size");
        assertThat(api().get("/finance/users/" + user + "/statement?after=%00", "f", "finance").error())
                .isEqualTo("400 invalid_after");
        assertThat(api().csv("/me/statement?after=nope", user, null).contentType())
                .as("errors are JSON even when CSV was asked for").startsWith("application/json");
    }

    /** Each answer is one range of the statement index, read up to the limit: no sort, no count, no filter. */
    @Test
    void eachAnswerIsOneIndexRangeScan() {
        for (String sql : List.of("select * from statement_line where user_id = 'u' and occurred_at >= now() - interval"
                        + " '1 year' and occurred_at < now() and (occurred_at, seq) > (now() - interval '1 day', 5)"
                        + " order by occurred_at, seq limit 501",
                "select * from statement_line where user_id = 'u' and occurred_at >= now() - interval '1 year'"
                        + " and occurred_at < now() and (occurred_at, seq) < (now() - interval '1 day', 5)"
                        + " order by occurred_at desc, seq desc limit 501")) {
            String plan = jdbc.execute((ConnectionCallback<String>) connection -> {
                try (Statement statement = connection.createStatement()) {
                    // The test table is small enough for a sequential scan; the plan asked for is the one at scale.
                    statement.execute("set enable_seqscan = off");
                    statement.execute("set enable_bitmapscan = off");
                    StringBuilder lines = new StringBuilder();
                    try (ResultSet rs = statement.executeQuery("explain " + sql)) {
                        while (rs.next()) {
                            lines.append(rs.getString(1)).append('\n');
                        }
                    } finally {
                        statement.execute("reset enable_seqscan");
                        statement.execute("reset enable_bitmapscan");
                    }
                    return lines.toString();
                }
            });
            assertThat(plan).as(plan).contains("statement_line_user_id_occurred_at_seq_idx")
                    .contains("ROW(occurred_at, seq)").doesNotContain("Sort").doesNotContain("Filter");
        }
    }

    private List<Long> walk(String start, Function<String, Api.Response> get) {
        List<Long> sequences = new ArrayList<>();
        String path = start;
        for (int answers = 0; answers <= LINES + 1; answers++) {
            Api.Response response = get.apply(path);
            assertThat(response.status()).as(response.body()).isEqualTo(200);
            JsonNode body = response.json();
            body.get("items").forEach(line -> sequences.add(line.get("sequence").asLong()));
            JsonNode next = body.get("next");
            assertThat(response.header(StatementController.NEXT_HEADER))
                    .isEqualTo(next == null || next.isNull() ? null : next.asText());
            if (next == null || next.isNull()) {
                return sequences;
            }
            assertThat(body.get("items").size()).isEqualTo(body.get("size").asInt());
            path = start + "&after=" + next.asText();
        }
        throw new AssertionError("The walk did not end: " + sequences);
    }

    private String error(String path, String user) {
        return api().get(path, user, null).error();
    }

    private static String cursor(String text) {
        return Base64.getUrlEncoder().withoutPadding().encodeToString(text.getBytes(StandardCharsets.US_ASCII));
    }
}
