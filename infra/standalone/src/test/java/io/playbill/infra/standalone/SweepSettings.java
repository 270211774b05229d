package io.playbill.infra.standalone;

import net.jqwik.api.lifecycle.AroundPropertyHook;
import net.jqwik.api.lifecycle.PropertyExecutionResult;
import net.jqwik.api.lifecycle.PropertyExecutor;
import net.jqwik.api.lifecycle.PropertyLifecycleContext;

/**
 * Lets a run of the hostile sweep be longer or repeat a failure without editing the test:
 * {@code -Dplaybill.sweep.tries=N} and {@code -Dplaybill.sweep.seed=S} (the seed jqwik printed) replace the
 * property's tries and seed (docs/security.md, "Hostile sweep").
 */
public class SweepSettings implements AroundPropertyHook {

    static final String TRIES = "playbill.sweep.tries";
    static final String SEED = "playbill.sweep.seed";

    @Override
    public PropertyExecutionResult aroundProperty(PropertyLifecycleContext context, PropertyExecutor property) {
        String tries = System.getProperty(TRIES);
        if (tries != null && !tries.isBlank()) {
            context.attributes().setTries(Integer.parseInt(tries.trim()));
        }
        String seed = System.getProperty(SEED);
        if (seed != null && !seed.isBlank()) {
            context.attributes().setSeed(seed.trim());
        }
        return property.execute();
    }
}
