package io.playbill.query.audit.rules;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Collects findings. A mismatch is kept only for the first differing event of an account and source (the ledger's
 * own records, or one projection): what follows it usually differs for the same reason, and is neither listed nor
 * counted. Invariant violations are all kept. At most {@code limit} findings are listed; every kept one is counted.
 */
public final class Findings {

    private static final String LEDGER = "ledger";

    private final int limit;
    private final List<Finding> listed = new ArrayList<>();
    private final Map<String, Long> byKind = new TreeMap<>();
    private final Set<String> mismatchedSources = new HashSet<>();
    private long count;

    public Findings(int limit) {
        this.limit = limit;
    }

    public synchronized void mismatch(String kind, String user, String projection, AuditEvent event, String message) {
        // A finding of no one user (a global total) has a key no user id can make: ids hold no NUL.
        String account = user == null ? "\u0000" : user;
        if (!mismatchedSources.add(account + '\u0000' + (projection == null ? LEDGER : projection))) {
            return;
        }
        add(new Finding(kind, Finding.MISMATCH, user, projection, event == null ? null : event.sequence(),
                event == null ? null : event.eventId(), event == null ? null : event.typeName(), message));
    }

    public synchronized void invariant(String kind, String user, AuditEvent event, String message) {
        add(new Finding(kind, Finding.INVARIANT, user, null, event == null ? null : event.sequence(),
                event == null ? null : event.eventId(), event == null ? null : event.typeName(), message));
    }

    private synchronized void add(Finding finding) {
        count++;
        byKind.merge(finding.kind(), 1L, Long::sum);
        if (listed.size() < limit) {
            listed.add(finding);
        }
    }

    public synchronized long count() {
        return count;
    }

    public synchronized List<Finding> listed() {
        return List.copyOf(listed);
    }

    public synchronized Map<String, Long> byKind() {
        return Map.copyOf(byKind);
    }

    public synchronized boolean truncated() {
        return count > listed.size();
    }
}
