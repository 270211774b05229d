package io.playbill.gateway.admin;

/** The price now in force for {@code queue}. */
record PriceResponse(String queue, long pricePerMinute) {
}
