package io.playbill.query.finance;

import io.playbill.query.projection.Projection;
import io.playbill.query.projection.ProjectionTables;
import io.playbill.query.projection.Projector;
import io.playbill.query.projection.ProjectorFactory;
import org.springframework.jdbc.core.JdbcTemplate;
import org.springframework.stereotype.Component;

@Component
class FinanceProjectorFactory implements ProjectorFactory {

    private final JdbcTemplate jdbc;

    FinanceProjectorFactory(JdbcTemplate jdbc) {
        this.jdbc = jdbc;
    }

    @Override
    public Projection projection() {
        return Projection.FINANCE;
    }

    @Override
    public Projector create(ProjectionTables tables) {
        Projector rollups = new FinanceProjector(jdbc, tables);
        Projector prices = new PriceProjector(jdbc, tables);
        return events -> {
            rollups.apply(events);
            prices.apply(events);
        };
    }
}
