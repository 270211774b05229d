package io.playbill.gateway.game;

/** The SDK's input rules (token-spec §1 and §4). */
final class GameInput {

    /** A session id: 1–64 ASCII letters or digits. */
    static final String SESSION_PATTERN = "[A-Za-z0-9]{1,64}";
    static final String SESSION_RULE = "must be 1-64 ASCII letters or digits";

    /** The largest {@code lastDeadline} accepted: about 31 years of playtime. */
    static final long MAX_LAST_DEADLINE = 1_000_000_000L;

    private GameInput() {
    }
}
