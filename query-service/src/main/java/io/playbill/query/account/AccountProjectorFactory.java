package io.playbill.query.account;

import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.ProjectorFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

@Component
class AccountProjectorFactory implements ProjectorFactory {

    private final JdbcTemplate jdbc;

    AccountProjectorFactory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Projection projection() {
        return Projection.ACCOUNTS;
    }

    @Override
    public Projector create(ProjectionTables tables) {
        return new AccountProjector(jdbc, tables);
    }
}
