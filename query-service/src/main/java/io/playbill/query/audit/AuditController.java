package io.playbill.query.audit;

import io.playbill.ledger.api.messages.UserIds;
import io.playbill.query.web.Texts;
import io.playbill.query.web.Times;
import io.playbill.service.web.ApiException;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import java.net.URI;
import java.nio.charset.StandardCharsets;

/** Audits (role admin, checked for all of /admin/** by the caller filter): start one, then follow it. */
@RestController
class AuditController {

    private final Audits audits;

    AuditController(Audits audits) {
        this.audits = audits;
    }

    @PostMapping("/admin/audits")
    ResponseEntity<AuditRunView> start(@RequestParam(required = false) String user,
                                       @RequestParam(required = false) String asOf) {
        String account = user == null || user.isEmpty() ? null : Texts.clean("user", user);
        if (account != null && account.getBytes(StandardCharsets.UTF_8).length > UserIds.MAX_BYTES) {
            throw ApiException.invalidField("user", "user must be at most " + UserIds.MAX_BYTES + " bytes, as the"
                    + " gateway's user ids are");
        }
        AuditRunView audit = audits.start(account, Times.instant("asOf", asOf, null));
        return ResponseEntity.accepted().location(URI.create("/admin/audits/" + audit.id())).body(audit);
    }

    @GetMapping("/admin/audits/{id}")
    AuditRunView audit(@PathVariable String id) {
        return audits.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "unknown_audit",
                "No audit " + id));
    }
}
