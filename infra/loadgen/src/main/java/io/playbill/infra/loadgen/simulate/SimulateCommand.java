package io.playbill.infra.loadgen.simulate;

import io.playbill.infra.loadgen.client.AttemptListener;

import java.io.IOException;
import java.io.PrintStream;

/** {@code ./playbill simulate}: sets the price, lets the players play, settles every balance and reconciles it. */
public final class SimulateCommand {

    private final SimulateOptions options;
    private final String runId;
    private final PrintStream out;

    public SimulateCommand(SimulateOptions options, String runId, PrintStream out) {
        this.options = options;
        this.runId = runId;
        this.out = out;
    }

    /** @return the reconciliation's verdict; the report has been printed and written */
    public Reconciliation.Result run() throws IOException, InterruptedException {
        try (Simulation simulation = new Simulation(options, runId, out, AttemptListener.NONE)) {
            simulation.setPrice();
            Simulation.Played played = simulation.play();
            Reconciliation.Result result = simulation.reconcile(played.outcomes(),
                    simulation.settle(played.outcomes()));
            simulation.report(played, result);
            return result;
        }
    }
}
