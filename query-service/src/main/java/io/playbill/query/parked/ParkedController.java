package io.playbill.query.parked;

import io.playbill.query.projection.ParkedEvent;
import io.playbill.query.projection.ParkedEvents;
import io.playbill.query.projection.Projection;
import io.playbill.query.web.ApiException;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import org.springframework.http.HttpStatus;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;

/**
 * Events the projections parked (role admin, checked for all of /admin/** by the caller filter): list them, and
 * retry or skip one once its cause is fixed. See docs/operations.md, "Parked items".
 */
@RestController
class ParkedController {

    private final ParkedEvents parked;
    private final ParkedRetries retries;

    ParkedController(ParkedEvents parked, ParkedRetries retries) {
        this.parked = parked;
        this.retries = retries;
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

    /** Applies the user's parked events of that projection in order; what fails again stays parked. */
    @PostMapping("/admin/parked/events/{id}/retry")
    ParkedRetries.Outcome retry(@PathVariable long id) {
        return retries.retry(id);
    }

    /** Drops this event for good, then retries the user's remaining parked events of that projection. */
    @PostMapping("/admin/parked/events/{id}/skip")
    ParkedRetries.Outcome skip(@PathVariable long id) {
        return retries.skip(id);
    }

    private static Projection projection(String id) {
        return Projection.byId(id).orElseThrow(() -> ApiException.invalidParameter("projection",
                "The projections are " + Arrays.stream(Projection.values()).map(Projection::id).toList()));
    }
}
