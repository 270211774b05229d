package io.playbill.gateway.game;

import io.playbill.service.web.ApiException;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.http.HttpStatus;
import org.springframework.stereotype.Component;

/** The configured queues: what a request may name, and which queue it gets when it names none. */
@Component
@EnableConfigurationProperties(GameProperties.class)
public class GameQueues {

    private final GameProperties settings;

    public GameQueues(GameProperties settings) {
        this.settings = settings;
    }

    /** The queue to use for {@code requested} (null: the default); 400 {@code unknown_queue} if not configured. */
    public String resolve(String requested) {
        if (requested == null) {
            return settings.defaultQueue();
        }
        if (!settings.queues().contains(requested)) {
            throw new ApiException(HttpStatus.BAD_REQUEST, "unknown_queue",
                    "Unknown queue; the queues are " + String.join(", ", settings.queues()));
        }
        return requested;
    }
}
