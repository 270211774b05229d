package io.playbill.query.account;

import io.playbill.query.web.Caller;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

/** The caller's own account, and any user's for finance. */
@RestController
class AccountController {

    private final AccountReads accounts;

    AccountController(AccountReads accounts) {
        this.accounts = accounts;
    }

    @GetMapping("/me/account")
    AccountView myAccount(Caller caller) {
        return accounts.account(caller.userId());
    }

    @GetMapping("/finance/users/{userId}/account")
    AccountView account(@PathVariable String userId) {
        return accounts.account(userId);
    }
}
