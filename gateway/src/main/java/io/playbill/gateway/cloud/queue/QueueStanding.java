package io.playbill.gateway.cloud.queue;

/** A place and its position in its game's queue: 1 is the head (served next, or ready). */
public record QueueStanding(QueuePlace place, int position) {
}
