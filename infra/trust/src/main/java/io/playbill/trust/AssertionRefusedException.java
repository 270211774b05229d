package io.playbill.trust;

/**
 * A caller assertion that does not vouch for this request. The message says why in a few words ("expired",
 * "signed for another path"); it never quotes the assertion.
 */
public class AssertionRefusedException extends Exception {

    private static final long serialVersionUID = 1L;

    AssertionRefusedException(String reason) {
        super(reason);
    }
}
