package io.playbill.gateway.fairuse;

import jakarta.servlet.AsyncEvent;
import jakarta.servlet.AsyncListener;

import java.util.concurrent.atomic.AtomicBoolean;

/** Runs its action once when an asynchronous request ends, however it ends (completed, timed out or failed). */
final class WhenRequestEnds implements AsyncListener {

    private final AtomicBoolean done = new AtomicBoolean();
    private final Runnable action;

    WhenRequestEnds(Runnable action) {
        this.action = action;
    }

    /** Runs the action, unless it ran already. */
    void run() {
        if (done.compareAndSet(false, true)) {
            action.run();
        }
    }

    @Override
    public void onComplete(AsyncEvent event) {
        run();
    }

    @Override
    public void onTimeout(AsyncEvent event) {
        run();
    }

    @Override
    public void onError(AsyncEvent event) {
        run();
    }

    /** A new asynchronous cycle drops the listeners of the last one: stay registered. */
    @Override
    public void onStartAsync(AsyncEvent event) {
        event.getAsyncContext().addListener(this);
    }
}
