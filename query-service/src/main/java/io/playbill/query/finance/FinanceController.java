package io.playbill.query.finance;

import io.playbill.query.statement.Liability;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import io.playbill.query.web.Texts;
import io.playbill.query.web.Times;
import io.playbill.service.web.ApiException;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.time.Instant;
import java.util.Locale;

/** Finance reports (role finance or admin, checked for all of /finance/** by the caller filter). */
@RestController
class FinanceController {

    private final FinanceReads reports;
    private final Liability liability;
    private final Clock clock;

    FinanceController(FinanceReads reports, Liability liability, Clock clock) {
        this.reports = reports;
        this.liability = liability;
        this.clock = clock;
    }

    @GetMapping("/finance/revenue")
    Page<RevenueRow> revenue(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                             @RequestParam(required = false) String granularity,
                             @RequestParam(required = false) String queue,
                             @RequestParam(required = false) Integer page,
                             @RequestParam(required = false) Integer size) {
        return reports.revenue(granularity(granularity), range(from, to), Texts.optional("queue", queue),
                PageRequest.of(page, size));
    }

    @GetMapping("/finance/deposits")
    Page<MoneyDay> deposits(@RequestParam(required = false) String from, @RequestParam(required = false) String to,
                            @RequestParam(required = false) Integer page,
                            @RequestParam(required = false) Integer size) {
        return reports.money(range(from, to), PageRequest.of(page, size));
    }

    @GetMapping("/finance/liability")
    LiabilityView liability(@RequestParam(required = false) String asOf) {
        Instant at = Times.instant("asOf", asOf, clock.instant());
        return new LiabilityView(at, liability.asOf(at));
    }

    private static Times.Range range(String from, String to) {
        return Times.range(Times.required("from", from), Times.required("to", to));
    }

    private static FinanceReads.Granularity granularity(String value) {
        if (value == null || value.isBlank()) {
            return FinanceReads.Granularity.DAY;
        }
        try {
            return FinanceReads.Granularity.valueOf(value.trim().toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("granularity", "granularity is day or hour, not '" + value + "'");
        }
    }
}
