package io.playbill.gsemulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/** Errors queued per action: each is answered instead of the action for its next {@code times} calls, in order. */
final class FaultInjector {

    private final Set<String> actions;
    private final Map<String, Deque<EmulatorState.Fault>> queued = new LinkedHashMap<>();

    FaultInjector(Set<String> actions) {
        this.actions = actions;
    }

    synchronized void add(String action, String code, int times) {
        if (!actions.contains(action)) {
            throw new IllegalArgumentException("Unknown action " + action + "; emulated: " + actions);
        }
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("The error code must not be blank");
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, not " + times);
        }
        queued.computeIfAbsent(action, a -> new ArrayDeque<>()).addLast(new EmulatorState.Fault(action, code, times));
    }

    /** The error to answer now for {@code action}, if one is queued; counts it as used. */
    synchronized Optional<EmulatorState.Fault> take(String action) {
        Deque<EmulatorState.Fault> faults = queued.get(action);
        if (faults == null || faults.isEmpty()) {
            return Optional.empty();
        }
        EmulatorState.Fault next = faults.removeFirst();
        if (next.remaining() > 1) {
            faults.addFirst(new EmulatorState.Fault(action, next.code(), next.remaining() - 1));
        }
        return Optional.of(next);
    }

    synchronized List<EmulatorState.Fault> pending() {
        return queued.values().stream().flatMap(Deque::stream).toList();
    }

    synchronized void clear() {
        queued.clear();
    }
}
