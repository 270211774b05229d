package io.playbill.gsemulator;

import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.datatype.jsr310.JavaTimeModule;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;

/**
 * A local stand-in for Tencent Cloud GS (API 2019-11-18) that the real Tencent Java SDK can call:
 * TrylockWorker, CreateSession and StopGame over each game's workers in regions, behind TC3-HMAC-SHA256 signature
 * checks.
 *
 * <pre>{@code
 * try (GsEmulator gs = GsEmulator.start(GsEmulatorConfig.defaults().withWorkersPerGame(1))) {
 *     httpProfile.setEndpoint("127.0.0.1:" + gs.port());
 *     httpProfile.setProtocol("http://");
 *     gs.failNext("CreateSession", "FailedOperation.SlowDown", 1);
 *     ...
 * }
 * }</pre>
 */
public final class GsEmulator implements AutoCloseable {

    private static final Logger log = LoggerFactory.getLogger(GsEmulator.class);

    private final WorkerPools pools;
    private final FaultInjector faults;
    private final Journal journal = new Journal();
    private final CallHooks hooks = new CallHooks();
    private final GsEmulatorServer server;

    private GsEmulator(GsEmulatorConfig config) throws IOException {
        ObjectMapper json = new ObjectMapper().registerModule(new JavaTimeModule())
                .disable(SerializationFeature.WRITE_DATES_AS_TIMESTAMPS)
                .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS); // "{...} junk" is not JSON either
        pools = new WorkerPools(config);
        GsActions actions = new GsActions(pools);
        faults = new FaultInjector(actions.names());
        Tc3Signature signature = new Tc3Signature(config.secretId(), config.secretKey(), config.clock());
        // Last, because the admin handler may call back into this emulator as soon as the server listens.
        server = new GsEmulatorServer(config.host(), config.port(),
                new GsApiHandler(signature, actions, faults, hooks, journal, config.clock(), json),
                new AdminHandler(this, json));
    }

    /**
     * Starts serving now.
     *
     * @throws UncheckedIOException caused by a {@link java.net.BindException} when the port is taken
     */
    public static GsEmulator start(GsEmulatorConfig config) {
        GsEmulator emulator;
        try {
            emulator = new GsEmulator(config);
        } catch (IOException e) {
            throw new UncheckedIOException("Cannot listen on " + config.host() + ":" + config.port(), e);
        }
        log.info("GS emulator listening on {}:{} ({})", config.host(), emulator.port(), config);
        return emulator;
    }

    public int port() {
        return server.port();
    }

    /**
     * Makes the next {@code times} calls of {@code action} answer the error {@code code} (e.g.
     * "FailedOperation.SlowDown") once they pass the signature, version and JSON checks; then the action works
     * again. Faults queued for one action are answered in the order they were added.
     *
     * @throws IllegalArgumentException for an unknown action, or a code the action never answers in GS (see the
     *                                  README's table)
     */
    public void failNext(String action, String code, int times) {
        faults.add(action, null, code, times);
    }

    /** As {@link #failNext(String, String, int)}, for the calls whose UserId is {@code userId} only. */
    public void failNextFor(String userId, String action, String code, int times) {
        faults.add(action, userId, code, times);
    }

    /**
     * Runs {@code hook} in the next call of {@code action} by {@code userId}, after the action took effect (or failed,
     * or an injected fault was chosen as its answer) and before its caller gets the answer. For tests of what another
     * caller does in that moment: the hook may call the emulator itself (it answers on several threads). A hook that
     * throws makes the call answer InternalError.
     */
    public void afterNext(String action, String userId, Runnable hook) {
        hooks.add(action, userId, hook);
    }

    public EmulatorState state() {
        WorkerPools.Snapshot snapshot = pools.snapshot();
        return new EmulatorState(snapshot.pools(), snapshot.locks(), snapshot.sessions(), snapshot.stopping(),
                faults.pending(), journal.entries());
    }

    /** The GS API calls answered so far (the last {@value Journal#CAPACITY}), oldest first. */
    public List<JournalEntry> journal() {
        return journal.entries();
    }

    /** Frees every worker (stopping ones too) and forgets faults and the journal, as if just started. */
    public void reset() {
        pools.clear();
        faults.clear();
        hooks.clear();
        journal.clear();
    }

    @Override
    public void close() {
        server.close();
    }
}
