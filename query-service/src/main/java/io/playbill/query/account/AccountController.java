package io.playbill.query.account;

import org.springframework.http.ResponseEntity;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.RestController;

import java.util.Map;

/** Account reads. Internal: the gateway authenticates the caller and forwards to this service. */
@RestController
class AccountController {

    private final JdbcTemplate jdbc;

    AccountController(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @GetMapping("/accounts/{userId}")
    ResponseEntity<Map<String, Object>> account(@PathVariable String userId) {
        return jdbc.query("select user_id, balance from account where user_id = ?",
                        (rs, row) -> Map.<String, Object>of("userId", rs.getString(1), "balance", rs.getLong(2)), userId)
                .stream().findFirst()
                .map(ResponseEntity::ok)
                .orElseGet(() -> ResponseEntity.status(404).body(Map.of("error",
                        Map.of("code", "account_not_found", "message", "No account for user " + userId))));
    }
}
