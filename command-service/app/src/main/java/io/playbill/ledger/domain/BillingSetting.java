package io.playbill.ledger.domain;

/** {@code playbill.billing.mode}, the same property the gateway reads. */
public enum BillingSetting {
    /** No billing: the gateway answers renews by itself and never asks the ledger about sessions. */
    NONE,
    /** Under-bill (the default). */
    UNDER,
    /** Over-bill. */
    OVER,
}
