package io.playbill.gateway.billing;

import io.playbill.ledger.api.events.BillingMode;
import org.springframework.boot.autoconfigure.condition.ConditionOutcome;
import org.springframework.boot.autoconfigure.condition.SpringBootCondition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Creates beans for one side of {@code playbill.billing.mode}: {@code @Conditional(BillingModeCondition.UsesLedger.class)}
 * for the ledger (and Kafka) in modes under/over, {@code @Conditional(BillingModeCondition.Off.class)} for mode
 * none.
 */
public abstract class BillingModeCondition extends SpringBootCondition {

    private final boolean matchWhenLedgerUsed;

    BillingModeCondition(boolean matchWhenLedgerUsed) {
        this.matchWhenLedgerUsed = matchWhenLedgerUsed;
    }

    @Override
    public ConditionOutcome getMatchOutcome(ConditionContext context, AnnotatedTypeMetadata metadata) {
        BillingMode mode = BillingProperties.from(context.getEnvironment()).mode();
        String message = BillingProperties.PREFIX + ".mode is " + mode;
        return mode.usesLedger() == matchWhenLedgerUsed
                ? ConditionOutcome.match(message) : ConditionOutcome.noMatch(message);
    }

    /** Billing mode under or over: session calls and money operations go to the ledger. */
    public static final class UsesLedger extends BillingModeCondition {
        public UsesLedger() {
            super(true);
        }
    }

    /** Billing mode none. */
    public static final class Off extends BillingModeCondition {
        public Off() {
            super(false);
        }
    }
}
