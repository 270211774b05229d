package io.playbill.query.projection;

/** Which copy of a projection's tables a processor writes: the live ones, or the shadow ones a replay builds. */
public enum ProjectionTables {

    LIVE(""),
    REPLAY("_replay");

    private final String suffix;

    ProjectionTables(String suffix) {
        this.suffix = suffix;
    }

    /** The physical name of {@code table} in this copy. */
    public String of(String table) {
        return table + suffix;
    }
}
