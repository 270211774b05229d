package io.playbill.gsemulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Work to run inside one call, after its action took effect (or failed, or a fault was chosen) and before it is
 * answered: how a test puts another caller's work exactly between a GS action and the moment its caller learns of
 * it (a race that timing alone would hit only now and then). Each hook runs once, for the next call of its action by
 * its user.
 */
final class CallHooks {

    private record Target(String action, String userId) {
    }

    private final Map<Target, Deque<Runnable>> queued = new HashMap<>();

    synchronized void add(String action, String userId, Runnable hook) {
        if (action == null || userId == null || hook == null) {
            throw new IllegalArgumentException("A hook needs an action, a user and the work to run");
        }
        queued.computeIfAbsent(new Target(action, userId), t -> new ArrayDeque<>()).addLast(hook);
    }

    /** The hook for this call of {@code action} by {@code userId}, taken: it runs once. */
    synchronized Optional<Runnable> take(String action, String userId) {
        Deque<Runnable> hooks = queued.get(new Target(action, userId));
        if (hooks == null) {
            return Optional.empty();
        }
        Runnable next = hooks.removeFirst();
        if (hooks.isEmpty()) {
            queued.remove(new Target(action, userId));
        }
        return Optional.of(next);
    }

    synchronized void clear() {
        queued.clear();
    }
}
