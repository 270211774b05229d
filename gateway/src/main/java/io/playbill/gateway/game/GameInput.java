package io.playbill.gateway.game;

import io.playbill.service.web.ApiException;

import java.util.regex.Pattern;

/** The SDK's input rules (token-spec §1 and §4), shared by every endpoint that names a session or queue. */
public final class GameInput {

    /** A session id: 1–64 ASCII letters or digits. */
    public static final String SESSION_PATTERN = "[A-Za-z0-9]{1,64}";
    public static final String SESSION_RULE = "must be 1-64 ASCII letters or digits";

    /** A queue name as the settings allow it ({@code playbill.game.queues}); unknown names are refused later. */
    public static final String QUEUE_PATTERN = GameProperties.QUEUE_PATTERN;
    public static final String QUEUE_RULE = "must be 1-64 letters, digits, '.', '_' or '-'";

    /** The largest {@code lastDeadline} accepted: about 31 years of playtime. */
    static final long MAX_LAST_DEADLINE = 1_000_000_000L;

    private static final Pattern SESSION = Pattern.compile(SESSION_PATTERN);

    private GameInput() {
    }

    /** Refuses a session id that breaks {@link #SESSION_PATTERN}, as a constraint on {@code session} would. */
    static void requireSession(String session) {
        if (!SESSION.matcher(session).matches()) {
            throw ApiException.invalidField("session", "session " + SESSION_RULE);
        }
    }
}
