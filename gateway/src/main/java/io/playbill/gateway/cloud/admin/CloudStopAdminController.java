package io.playbill.gateway.cloud.admin;

import io.playbill.gateway.cloud.CloudProperties;
import io.playbill.gateway.cloud.stop.StopRecords;
import io.playbill.service.web.ApiException;
import io.swagger.v3.oas.annotations.Operation;
import io.swagger.v3.oas.annotations.tags.Tag;
import jakarta.validation.constraints.Max;
import jakarta.validation.constraints.Min;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.http.HttpStatus;
import org.springframework.http.MediaType;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.time.Clock;
import java.util.List;
import java.util.Locale;

/**
 * The cloud stops an operator looks after (role admin): the ended sessions whose game GS did not confirm stopped after
 * every retry ({@code parked}), or those still being retried ({@code pending}), and a retry once the cause is fixed.
 */
@RestController
@ConditionalOnProperty(prefix = CloudProperties.PREFIX, name = "enabled", havingValue = "true")
@RequestMapping(path = "/api/admin/cloud/stops", produces = MediaType.APPLICATION_JSON_VALUE)
@Tag(name = "admin: cloud stops", description = "Stops of cloud games that GS did not confirm (role admin)")
class CloudStopAdminController {

    /** A page of stops, newest first. */
    record StopsPage(List<StopRecords.StopRecord> items, int page, int size, long total) {
    }

    private final StopRecords records;
    private final Clock clock;

    CloudStopAdminController(StopRecords records, Clock clock) {
        this.records = records;
        this.clock = clock;
    }

    @GetMapping
    @Operation(summary = "Stops with a result: parked (default; waiting for an operator), pending, stopped or no_game")
    StopsPage list(@RequestParam(defaultValue = "parked") String result,
                   @RequestParam(defaultValue = "0") @Min(value = 0, message = "must not be negative") int page,
                   @RequestParam(defaultValue = "50") @Min(value = 1, message = "must be 1-500")
                   @Max(value = 500, message = "must be 1-500") int size) {
        StopRecords.Result wanted = resultOf(result);
        return new StopsPage(records.list(wanted, (long) page * size, size), page, size, records.count(wanted));
    }

    @PostMapping("/{id}/retry")
    @Operation(summary = "Try a parked stop again now (it goes back to pending, with a fresh count of attempts)")
    StopRecords.StopRecord retry(@PathVariable long id) {
        return records.retry(id, clock.instant()).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND,
                "not_parked", "No parked stop has id " + id));
    }

    private static StopRecords.Result resultOf(String result) {
        try {
            return StopRecords.Result.valueOf(result.toUpperCase(Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw ApiException.invalidField("result", "result must be parked, pending, stopped or no_game");
        }
    }
}
