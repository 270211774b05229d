package io.playbill.query.projection;

/** Makes a projection's projector for either copy of its tables; one bean per projection. */
public interface ProjectorFactory {

    Projection projection();

    Projector create(ProjectionTables tables);
}
