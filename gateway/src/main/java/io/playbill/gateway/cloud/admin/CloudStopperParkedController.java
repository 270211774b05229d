package io.playbill.gateway.cloud.admin;

import io.playbill.gateway.billing.BillingModeCondition;
import io.playbill.gateway.cloud.CloudProperties;
import io.playbill.gateway.cloud.stop.ParkedLedgerEvents;
import io.playbill.service.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Conditional;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.List;

/**
 * Ledger-events records the cloud stopper parked (role admin): list them, and retry or skip one once its cause is
 * fixed. See docs/operations.md, "Parked items: find, retry, skip". Not {@code @Validated}: Spring MVC validates the
 * parameters itself and its exception is answered 400 (a validating proxy's would be a 500).
 */
@RestController
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = "enabled", havingValue = "true")
@Conditional(BillingModeCondition.UsesLedger.class)
@RequestMapping(path = "/api/admin/cloud/stopper/parked", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin: cloud stopper", description = "Ledger events the cloud stopper parked (role admin)")
class CloudStopperParkedController {

    /** A page of parked records, newest first. */
    record ParkedPage(List<ParkedLedgerEvents.ParkedEvent> items, int page, int size, long total) {
    }

    /** What became of a parked record: {@code handled} (retried) or {@code skipped}; either way it is gone. */
    record Resolved(long id, String outcome) {
    }

    private final ParkedLedgerEvents parked;

    CloudStopperParkedController(ParkedLedgerEvents parked) {
        this.parked = parked;
    }

    @GetMapping
    @Operation(summary = "Parked ledger-events records, newest first")
    ParkedPage list(@RequestParam(defaultValue = "0") @Min(value = 0, message = "must be 0-1000000")
                    @Max(value = 1_000_000, message = "must be 0-1000000") int page,
                    @RequestParam(defaultValue = "50") @Min(value = 1, message = "must be 1-500")
                    @Max(value = 500, message = "must be 1-500") int size) {
        return new ParkedPage(parked.list((long) page * size, size), page, size, parked.count());
    }

    @PostMapping("/{id}/retry")
    @Operation(summary = "Handle the record again now: removed when handled, 409 with the error when it fails again")
    Resolved retry(@PathVariable long id) {
        ParkedLedgerEvents.Retry retry = parked.retry(id).orElseThrow(() -> notParked(id));
        if (!retry.handled()) {
            throw new ApiException(HttpStatus.CONFLICT, "still_failing", "The record failed again: " + retry.error());
        }
        return new Resolved(id, "handled");
    }

    @PostMapping("/{id}/skip")
    @Operation(summary = "Drop the record for good (its game is not stopped by the gateway)")
    Resolved skip(@PathVariable long id) {
        if (!parked.skip(id)) {
            throw notParked(id);
        }
        return new Resolved(id, "skipped");
    }

    private static ApiException notParked(long id) {
        return new ApiException(HttpStatus.NOT_FOUND, "not_parked", "No parked record has id " + id);
    }
}
