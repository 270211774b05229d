package io.playbill.query.projection;

import io.playbill.query.readmodel.ReadModel;
import org.springframework.jdbc.core.JdbcTemplate;

import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

/**
 * A projection's JDBC side, around the {@link ReadModel} that decides: per batch it loads the rows the batch touches
 * in one query, lets a new model apply the events (skipping what a row has already applied) and writes the changed
 * rows and the model's sums in a few batched statements. One bean per projection; {@link #create} binds it to either
 * copy of the projection's tables, the live ones or a replay's shadow ones.
 *
 * @param <K> a row's key
 * @param <R> a row
 * @param <M> the projection's model
 */
public abstract class TableProjector<K, R extends ReadModel.Row, M extends ReadModel<K, R>>
        implements ProjectorFactory {

    protected final JdbcTemplate jdbc;
    private final Projection projection;
    private final Supplier<M> newModel;

    /** {@code newModel} makes the model for one batch. */
    protected TableProjector(Projection projection, JdbcTemplate jdbc, Supplier<M> newModel) {
        this.projection = projection;
        this.jdbc = jdbc;
        this.newModel = newModel;
    }

    @Override
    public final Projection projection() {
        return projection;
    }

    @Override
    public Projector create(ProjectionTables tables) {
        return events -> apply(tables, events);
    }

    private void apply(ProjectionTables tables, List<LedgerEvent> events) {
        M model = newModel.get();
        Set<K> keys = model.keys(events);
        if (keys.isEmpty()) {
            return;
        }
        List<R> changed = model.apply(events, load(tables, keys));
        write(tables, changed, model);
    }

    /** The stored rows of {@code keys}; a key without a row is left out. */
    protected abstract Map<K, R> load(ProjectionTables tables, Set<K> keys);

    /** Writes the rows the batch changed and what {@code model} collected. */
    protected abstract void write(ProjectionTables tables, List<R> changed, M model);
}
