package io.playbill.gateway.cloud.queue;

/** A place and its position in its pool's queue: 1 is the head (served next, or ready). */
public record QueueStanding(QueuePlace place, int position) {
}
