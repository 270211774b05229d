package io.playbill.infra.standalone;

/** A stand-in service for the supervision tests: a JVM that runs until it is stopped. No nested classes. */
public final class IdleService {

    private IdleService() {
    }

    public static void main(String[] args) throws InterruptedException {
        System.out.println("idle service up");
        Thread.sleep(Long.MAX_VALUE);
    }
}
