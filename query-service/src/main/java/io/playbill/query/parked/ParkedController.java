package io.playbill.query.parked;

import io.playbill.query.projection.ParkedEvent;
import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.projection.Projection;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import io.playbill.service.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;

/**
 * Events the projections parked (role admin, checked for all of /admin/** by the caller filter): list them, and
 * retry or skip one once its cause is fixed. And the items the ledger's consumers parked, listed here for the
 * operator who retries or skips them through the gateway. See docs/operations.md, "Parked items".
 */
@RestController
class ParkedController {

    private final ParkedEvents parked;
    private final ParkedRetries retries;
    private final LedgerParkedItems ledger;

    ParkedController(ParkedEvents parked, ParkedRetries retries, LedgerParkedItems ledger) {
        this.parked = parked;
        this.retries = retries;
        this.ledger = ledger;
    }

    /** Newest first; {@code projection} narrows to one projection. */
    @GetMapping("/admin/parked/events")
    Page<ParkedEvent> list(@RequestParam(required = false) String projection,
                           @RequestParam(required = false) Integer page,
                           @RequestParam(required = false) Integer size) {
        PageRequest request = PageRequest.of(page, size);
        String id = projection == null ? null : projection(projection).id();
        return Page.of(parked.list(id, request.offset(), request.size()), request, parked.count(id),
                ParkedEvent.class);
    }

    @GetMapping("/admin/parked/events/{id}")
    ParkedEvent one(@PathVariable long id) {
        return parked.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "not_parked",
                "No parked event has id " + id));
    }

    /**
     * Applies the user's parked events of that projection in order; what fails again stays parked. 409
     * {@code still_failing} when the event itself failed again (its new error and attempt are kept).
     */
    @PostMapping("/admin/parked/events/{id}/retry")
    ParkedRetries.Outcome retry(@PathVariable long id) {
        ParkedRetries.Outcome outcome = retries.retry(id);
        if (outcome.applied() == 0 && !outcome.stillParked().isEmpty()) {
            ParkedEvent first = outcome.stillParked().get(0);
            throw new ApiException(HttpStatus.CONFLICT, "still_failing", "The event failed again: " + first.error());
        }
        return outcome;
    }

    /** Drops this event for good, then retries the user's remaining parked events of that projection. */
    @PostMapping("/admin/parked/events/{id}/skip")
    ParkedRetries.Outcome skip(@PathVariable long id) {
        return retries.skip(id);
    }

    /** What the ledger's consumers parked, newest first; {@code consumer} narrows to intake, expiry or publisher. */
    @GetMapping("/admin/parked/ledger")
    Page<LedgerParkedItems.ParkedLedgerItem> ledger(@RequestParam(required = false) String consumer,
                                                    @RequestParam(required = false) Integer page,
                                                    @RequestParam(required = false) Integer size) {
        if (consumer != null && !LedgerParkedItems.CONSUMERS.contains(consumer)) {
            throw ApiException.invalidField("consumer", "The ledger's consumers are " + LedgerParkedItems.CONSUMERS);
        }
        PageRequest request = PageRequest.of(page, size);
        return Page.of(ledger.list(consumer, request.offset(), request.size()), request, ledger.count(consumer),
                LedgerParkedItems.ParkedLedgerItem.class);
    }

    private static Projection projection(String id) {
        return Projection.byId(id).orElseThrow(() -> ApiException.invalidField("projection",
                "The projections are " + Arrays.stream(Projection.values()).map(Projection::id).toList()));
    }
}
