package io.playbill.query.statement;

import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.ProjectorFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

@Component
class StatementProjectorFactory implements ProjectorFactory {

    private final JdbcTemplate jdbc;

    StatementProjectorFactory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Projection projection() {
        return Projection.STATEMENT;
    }

    @Override
    public Projector create(ProjectionTables tables) {
        return new StatementProjector(jdbc, tables);
    }
}
