package io.playbill.query.finance;

import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import io.playbill.query.web.Texts;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/**
 * Queue prices: the history for finance (role finance or admin, as all of /finance/**), and the prices in force for
 * any player, who needs them to know how much playtime their balance buys.
 */
@RestController
class PriceController {

    private final PriceReads prices;

    PriceController(PriceReads prices) {
        this.prices = prices;
    }

    @GetMapping("/finance/prices")
    Page<PriceChange> history(@RequestParam(required = false) String queue,
                              @RequestParam(required = false) Integer page,
                              @RequestParam(required = false) Integer size) {
        return prices.history(Texts.optional("queue", queue), PageRequest.of(page, size));
    }

    @GetMapping("/me/prices")
    Page<QueuePrice> current(@RequestParam(required = false) Integer page,
                             @RequestParam(required = false) Integer size) {
        return prices.current(PageRequest.of(page, size));
    }
}
