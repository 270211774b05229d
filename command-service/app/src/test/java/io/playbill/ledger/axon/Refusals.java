package io.playbill.ledger.axon;

import io.playbill.ledger.api.messages.LedgerError;
import org.hamcrest.Description;
import org.hamcrest.Matcher;
import org.hamcrest.TypeSafeMatcher;

/** Hamcrest matchers for the fixture's {@code expectException}. */
final class Refusals {

    private Refusals() {
    }

    static Matcher<LedgerRefusal> refused(LedgerError error) {
        return new TypeSafeMatcher<>() {
            @Override
            protected boolean matchesSafely(LedgerRefusal refusal) {
                return refusal.error() == error;
            }

            @Override
            public void describeTo(Description description) {
                description.appendText("a ledger refusal " + error);
            }

            @Override
            protected void describeMismatchSafely(LedgerRefusal refusal, Description mismatch) {
                mismatch.appendText("was " + refusal.error() + ": " + refusal.getMessage());
            }
        };
    }
}
