package io.playbill.gateway.admin;

/** {@code {"balance":…}}: the user's balance after the operation, in minor units. */
record BalanceResponse(long balance) {
}
