package io.playbill.query.statement;

import io.playbill.query.web.Caller;
import io.playbill.query.web.PageRequest;
import io.playbill.query.web.Times;
import io.playbill.service.web.ApiException;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Statements with running balances: the caller's own, and any user's for finance. Two ways to read one: pages
 * ({@code page}, {@code size}: a {@code Page} with its total, oldest first), or a keyset walk ({@code order}
 * and/or {@code after} given: a {@link StatementSlice}, each answer one index range read from where the last one
 * ended, without a count, so that the newest lines or a whole long statement cost what they return).
 */
@RestController
class StatementController {

    /** The {@code next} of a keyset answer (JSON and CSV), absent after the last line. */
    static final String NEXT_HEADER = "Next-After";

    private final StatementReads statements;

    StatementController(StatementReads statements) {
        this.statements = statements;
    }

    @GetMapping("/me/statement")
    ResponseEntity<?> myStatement(Caller caller, @RequestParam(required = false) String from,
                                  @RequestParam(required = false) String to,
                                  @RequestParam(required = false) Integer page,
                                  @RequestParam(required = false) Integer size,
                                  @RequestParam(required = false) String order,
                                  @RequestParam(required = false) String after) {
        return statement(caller.userId(), from, to, page, size, order, after);
    }

    @GetMapping("/finance/users/{userId}/statement")
    ResponseEntity<?> userStatement(@PathVariable String userId, @RequestParam(required = false) String from,
                                    @RequestParam(required = false) String to,
                                    @RequestParam(required = false) Integer page,
                                    @RequestParam(required = false) Integer size,
                                    @RequestParam(required = false) String order,
                                    @RequestParam(required = false) String after) {
        return statement(userId, from, to, page, size, order, after);
    }

    private ResponseEntity<?> statement(String userId, String from, String to, Integer page, Integer size,
                                        String order, String after) {
        // A bound not given is the widest any parameter may be, so a bound given alone is never an invalid range.
        Times.Range range = Times.range(Times.instant("from", from, Times.EARLIEST),
                Times.instant("to", to, Times.LATEST));
        if (order == null && after == null) {
            return ResponseEntity.ok(statements.lines(userId, range, PageRequest.of(page, size)));
        }
        if (page != null) {
            throw ApiException.invalidField("page", "page is for paging by number; with order or after, follow"
                    + " next instead");
        }
        int limit = PageRequest.of(null, size).size();
        StatementCursor cursor = after == null ? null : StatementCursor.decode(after);
        boolean newestFirst;
        if (order == null) {
            newestFirst = cursor.descending();
        } else if (order.equals("asc") || order.equals("desc")) {
            newestFirst = order.equals("desc");
            if (cursor != null && cursor.descending() != newestFirst) {
                // A cursor of one walk used in the other would skip or repeat lines without a word.
                throw StatementCursor.invalid();
            }
        } else {
            throw ApiException.invalidField("order", "order is asc (oldest first) or desc (newest first)");
        }
        StatementSlice slice = statements.slice(userId, range, newestFirst, cursor, limit);
        ResponseEntity.BodyBuilder answer = ResponseEntity.ok();
        if (slice.next() != null) {
            answer.header(NEXT_HEADER, slice.next());
        }
        return answer.body(slice);
    }
}
