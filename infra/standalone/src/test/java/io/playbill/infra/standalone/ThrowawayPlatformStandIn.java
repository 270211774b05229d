package io.playbill.infra.standalone;

import io.playbill.infra.kafka.LoopbackPorts;

import java.nio.file.Path;

/**
 * A bench in miniature, for {@link ThrowawayDataTest} to interrupt: starts a platform on throwaway data (the home and
 * the data directory are its arguments), says so, and waits to be stopped.
 */
public final class ThrowawayPlatformStandIn {

    private ThrowawayPlatformStandIn() {
    }

    public static void main(String[] args) throws Exception {
        Platform.startOnThrowawayData(new PlatformConfig(Path.of(args[0]), Path.of(args[1]), LoopbackPorts.free(),
                LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(), LoopbackPorts.free(),
                LoopbackPorts.free(), PlatformConfig.BUILT_IN_JVM_OPTIONS));
        System.out.println("platform up");
        System.out.flush();
        Thread.sleep(Long.MAX_VALUE);
    }
}
