package io.playbill.query.audit;

import io.playbill.ledger.api.messages.UserIds;
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
        // Absent or empty: every account. Anything else must be a user id that can exist, or the audit of an account
        // nobody can have would report it clean.
        String account = user == null || user.isEmpty() ? null : user;
        if (account != null && !UserIds.isAcceptable(account)) {
            throw ApiException.invalidField("user", "user " + UserIds.RULE + ", as the gateway's user ids");
        }
        AuditRunView audit = audits.start(account, Times.instant("asOf", asOf, null));
        // Relative, so it names the audit below whatever prefix the caller used (the gateway's /api/admin/audits too).
        return ResponseEntity.accepted().location(URI.create("audits/" + audit.id())).body(audit);
    }

    @GetMapping("/admin/audits/{id}")
    AuditRunView audit(@PathVariable String id) {
        return audits.find(id).orElseThrow(() -> new ApiException(HttpStatus.NOT_FOUND, "unknown_audit",
                "No audit " + id));
    }
}
