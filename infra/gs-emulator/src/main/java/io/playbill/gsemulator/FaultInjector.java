package io.playbill.gsemulator;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * Errors queued per action, for anyone's calls or for one user's: each is answered instead of the action for its
 * next {@code times} calls, in order. A call takes its user's faults before anyone's. Only codes the action can
 * answer in the real service ({@link GsErrorCodes}) are accepted.
 */
final class FaultInjector {

    /** Which calls a queue of faults is for; {@code userId} null means anyone's. */
    private record Target(String action, String userId) {
    }

    private final Set<String> actions;
    private final Map<Target, Deque<EmulatorState.Fault>> queued = new LinkedHashMap<>();

    FaultInjector(Set<String> actions) {
        this.actions = actions;
    }

    /** Queues {@code code} for the next {@code times} calls of {@code action} by {@code userId} (null: by anyone). */
    synchronized void add(String action, String userId, String code, int times) {
        if (!actions.contains(action)) {
            throw new IllegalArgumentException("Unknown action " + action + "; emulated: " + actions);
        }
        if (code == null || code.isBlank()) {
            throw new IllegalArgumentException("The error code must not be blank");
        }
        if (!GsErrorCodes.canAnswer(action, code)) {
            throw new IllegalArgumentException(code + " is not an error " + action + " answers in GS; it answers "
                    + GsErrorCodes.documentedFor(action) + " and the common codes of TencentCloud API 3.0");
        }
        if (userId != null && userId.isBlank()) {
            throw new IllegalArgumentException("userId must not be blank (leave it out to fail anyone's calls)");
        }
        if (times < 1) {
            throw new IllegalArgumentException("times must be at least 1, not " + times);
        }
        queued.computeIfAbsent(new Target(action, userId), t -> new ArrayDeque<>())
                .addLast(new EmulatorState.Fault(action, userId, code, times));
    }

    /** The error to answer now for a call of {@code action} by {@code userId} (may be null), if one is queued. */
    synchronized Optional<EmulatorState.Fault> take(String action, String userId) {
        Optional<EmulatorState.Fault> own = userId == null ? Optional.empty() : take(new Target(action, userId));
        return own.isPresent() ? own : take(new Target(action, null));
    }

    synchronized List<EmulatorState.Fault> pending() {
        List<EmulatorState.Fault> all = new ArrayList<>();
        queued.values().forEach(all::addAll);
        return List.copyOf(all);
    }

    synchronized void clear() {
        queued.clear();
    }

    private Optional<EmulatorState.Fault> take(Target target) {
        Deque<EmulatorState.Fault> faults = queued.get(target);
        if (faults == null || faults.isEmpty()) {
            return Optional.empty();
        }
        EmulatorState.Fault next = faults.removeFirst();
        if (next.remaining() > 1) {
            faults.addFirst(new EmulatorState.Fault(next.action(), next.userId(), next.code(), next.remaining() - 1));
        }
        if (faults.isEmpty()) {
            queued.remove(target);
        }
        return Optional.of(next);
    }
}
