package io.playbill.gsemulator;

import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;

/** The last {@value #CAPACITY} GS API calls, oldest first; bounded so a long dev session does not grow it forever. */
final class Journal {

    static final int CAPACITY = 1_000;

    private final Deque<JournalEntry> entries = new ArrayDeque<>();

    synchronized void record(JournalEntry entry) {
        if (entries.size() == CAPACITY) {
            entries.removeFirst();
        }
        entries.addLast(entry);
    }

    synchronized List<JournalEntry> entries() {
        return List.copyOf(entries);
    }

    synchronized void clear() {
        entries.clear();
    }
}
