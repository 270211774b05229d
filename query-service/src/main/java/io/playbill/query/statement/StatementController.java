package io.playbill.query.statement;

import io.playbill.query.web.Caller;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import io.playbill.query.web.Times;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** Statements with running balances: the caller's own, and any user's for finance. */
@RestController
class StatementController {

    private final StatementReads statements;

    StatementController(StatementReads statements) {
        this.statements = statements;
    }

    @GetMapping("/me/statement")
    Page<StatementLineView> myStatement(Caller caller, @RequestParam(required = false) String from,
                                        @RequestParam(required = false) String to,
                                        @RequestParam(required = false) Integer page,
                                        @RequestParam(required = false) Integer size) {
        return statement(caller.userId(), from, to, page, size);
    }

    @GetMapping("/finance/users/{userId}/statement")
    Page<StatementLineView> userStatement(@PathVariable String userId, @RequestParam(required = false) String from,
                                          @RequestParam(required = false) String to,
                                          @RequestParam(required = false) Integer page,
                                          @RequestParam(required = false) Integer size) {
        return statement(userId, from, to, page, size);
    }

    private Page<StatementLineView> statement(String userId, String from, String to, Integer page, Integer size) {
        // A bound not given is the widest any parameter may be, so a bound given alone is never an invalid range.
        Times.Range range = Times.range(Times.instant("from", from, Times.EARLIEST),
                Times.instant("to", to, Times.LATEST));
        return statements.lines(userId, range, PageRequest.of(page, size));
    }
}
