package io.playbill.infra.standalone;

/**
 * The two lanes this module's test classes run in (junit-platform.properties, docs/decisions/052). The classes on the
 * shared {@link EndToEndPlatform} and the quick ones run one after another on the main thread. A class that starts
 * (and stops, kills or starves) a platform of its own says {@code @Execution(CONCURRENT)} and
 * {@code @ResourceLock(OWN_PLATFORM)}: it runs beside the main lane and never beside another class of its lane, so
 * at most two platforms share the machine's cores.
 */
final class TestLanes {

    static final String OWN_PLATFORM = "a platform of its own";

    private TestLanes() {
    }
}
