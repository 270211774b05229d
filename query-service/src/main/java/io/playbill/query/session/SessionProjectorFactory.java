package io.playbill.query.session;

import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.ProjectorFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

@Component
class SessionProjectorFactory implements ProjectorFactory {

    private final JdbcTemplate jdbc;

    SessionProjectorFactory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Projection projection() {
        return Projection.SESSIONS;
    }

    @Override
    public Projector create(ProjectionTables tables) {
        return new SessionProjector(jdbc, tables);
    }
}
