package io.playbill.query.replay;

import io.playbill.query.projection.Projection;
import io.playbill.service.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RestController;

import java.util.Arrays;
import java.util.List;

/** Replays (role admin, checked for all of /admin/** by the caller filter). */
@RestController
class ReplayController {

    private final Replays replays;

    ReplayController(Replays replays) {
        this.replays = replays;
    }

    @PostMapping("/admin/replays/{projection}")
    ResponseEntity<ReplayStatusView> start(@PathVariable String projection) {
        return ResponseEntity.status(HttpStatus.ACCEPTED).body(replays.start(projection(projection)));
    }

    @GetMapping("/admin/replays/{projection}")
    ReplayStatusView status(@PathVariable String projection) {
        return replays.status(projection(projection));
    }

    @GetMapping("/admin/replays")
    List<ReplayStatusView> all() {
        return Arrays.stream(Projection.values()).map(replays::status).toList();
    }

    private static Projection projection(String id) {
        return Projection.byId(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "unknown_projection",
                "No projection " + id + "; the projections are " + Arrays.stream(Projection.values())
                        .map(Projection::id).toList()));
    }
}
