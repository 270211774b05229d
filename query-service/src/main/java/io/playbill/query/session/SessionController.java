package io.playbill.query.session;

import io.playbill.query.web.Caller;
import io.playbill.query.web.Page;
import io.playbill.query.web.PageRequest;
import io.playbill.query.web.Texts;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

/** The caller's session history, and the sessions running now for finance. */
@RestController
class SessionController {

    private final SessionReads sessions;

    SessionController(SessionReads sessions) {
        this.sessions = sessions;
    }

    @GetMapping("/me/sessions")
    Page<SessionView> mySessions(Caller caller, @RequestParam(required = false) Integer page,
                                 @RequestParam(required = false) Integer size) {
        return sessions.history(caller.userId(), PageRequest.of(page, size));
    }

    @GetMapping("/finance/sessions/active")
    Page<SessionView> active(@RequestParam(required = false) String queue,
                             @RequestParam(required = false) Integer page,
                             @RequestParam(required = false) Integer size) {
        return sessions.active(Texts.optional("queue", queue), PageRequest.of(page, size));
    }
}
