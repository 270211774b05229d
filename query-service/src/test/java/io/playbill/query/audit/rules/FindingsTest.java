package io.playbill.query.audit.rules;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class FindingsTest {

    @Test
    void onlyTheFirstMismatchOfAnAccountAndSourceIsKept() {
        Findings findings = new Findings(10);

        findings.mismatch("balance_mismatch", "alice", null, null, "first");
        findings.mismatch("balance_mismatch", "alice", null, null, "what follows from it");
        findings.mismatch("projection_mismatch", "alice", "statement", null, "another source");

        assertThat(findings.listed()).extracting(Finding::message).containsExactly("first", "another source");
    }

    @Test
    void aUserNamedNullHidesNoFindingOfTheWholeLedger() {
        Findings findings = new Findings(10);

        findings.mismatch("projection_mismatch", "null", "statement", null, "the user's statement");
        findings.mismatch("liability_mismatch", null, "statement", null, "the liability of all accounts");

        assertThat(findings.listed()).extracting(Finding::kind)
                .containsExactly("projection_mismatch", "liability_mismatch");
    }
}
