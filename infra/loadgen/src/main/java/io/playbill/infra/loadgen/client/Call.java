package io.playbill.infra.loadgen.client;

/** The gateway calls the load generator makes; each has its own latency and outcome counters. */
public enum Call {
    DEPOSIT, SET_PRICE, AUTH_TOKEN, START, RENEW, STOP
}
