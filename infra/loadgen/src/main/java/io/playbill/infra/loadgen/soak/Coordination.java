package io.playbill.infra.loadgen.soak;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * A replay and an audit asked of every query-service instance at once, each through the gateway that reads from it:
 * exactly one instance runs it and answers 202, the others answer 409 naming it, and every instance reports the same
 * run while it goes on and once it is done. With one instance, simply the audit.
 */
final class Coordination {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration WAIT = Duration.ofMinutes(5);

    /**
     * What the instances answered.
     *
     * @param started    the HTTP status each instance answered the start with, in gateway order
     * @param sameAnswer whether every instance reported the same run to the end
     * @param status     the run's final status (completed, failed)
     * @param problem    what was not as it must be, or null
     */
    record Outcome(List<Integer> started, boolean sameAnswer, String status, String problem) {

        boolean ok() {
            return problem == null;
        }
    }

    /** The audit's outcome and its report. */
    record Audit(Outcome outcome, JsonNode report) {

        boolean clean() {
            return outcome.ok() && report != null && report.path("clean").asBoolean(false);
        }
    }

    private final HttpClient http;
    private final List<String> gateways;
    private final String admin;

    Coordination(HttpClient http, List<String> gateways, String admin) {
        this.http = http;
        this.gateways = List.copyOf(gateways);
        this.admin = admin;
    }

    /** A replay of the accounts projection, asked of every instance at once. */
    Outcome replay() throws InterruptedException {
        List<Answer> started = startEverywhere("/api/admin/replays/accounts");
        String problem = oneRuns(started, "replay_in_progress");
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            List<JsonNode> views = new ArrayList<>();
            for (String gateway : gateways) {
                views.add(send(gateway, "GET", "/api/admin/replays/accounts").json());
            }
            String status = views.get(0).path("status").asText();
            boolean same = views.stream().allMatch(view -> view.path("startedAt").equals(views.get(0)
                    .path("startedAt")) && view.path("eventsTotal").equals(views.get(0).path("eventsTotal")));
            if (!same && problem == null) {
                problem = "the instances report different replays: " + views;
            }
            if (!"running".equals(status) && !"swapping".equals(status)
                    && views.stream().allMatch(view -> view.path("status").asText().equals(status))) {
                if (!"completed".equals(status) && problem == null) {
                    problem = "the replay ended " + status + ": " + views.get(0).path("error").asText();
                }
                return new Outcome(statuses(started), same, status, problem);
            }
            Thread.sleep(250);
        }
        return new Outcome(statuses(started), false, "running", "the replay did not finish within "
                + WAIT.toMinutes() + " min");
    }

    /** A full audit, asked of every instance at once; followed through every instance. */
    Audit audit() throws InterruptedException {
        List<Answer> started = startEverywhere("/api/admin/audits");
        String problem = oneRuns(started, "audit_in_progress");
        String id = started.stream().filter(answer -> answer.status() == 202).findFirst()
                .map(answer -> answer.json().path("id").asText()).orElse(null);
        if (id == null) {
            return new Audit(new Outcome(statuses(started), false, "not started", problem), null);
        }
        for (Answer answer : started) {
            if (answer.status() == 409 && !answer.body().contains(id) && problem == null) {
                problem = "a 409 does not name the running audit " + id + ": " + answer.body();
            }
        }
        long until = System.nanoTime() + WAIT.toNanos();
        while (System.nanoTime() < until) {
            List<JsonNode> views = new ArrayList<>();
            for (String gateway : gateways) {
                views.add(send(gateway, "GET", "/api/admin/audits/" + id).json());
            }
            String status = views.get(0).path("status").asText();
            if (!"running".equals(status) && views.stream().allMatch(view -> view.equals(views.get(0)))) {
                if (!"completed".equals(status) && problem == null) {
                    problem = "the audit ended " + status + ": " + views.get(0).path("error").asText();
                }
                return new Audit(new Outcome(statuses(started), true, status, problem), views.get(0).path("report"));
            }
            Thread.sleep(250);
        }
        return new Audit(new Outcome(statuses(started), false, "running", "the audit did not finish within "
                + WAIT.toMinutes() + " min"), null);
    }

    private List<Answer> startEverywhere(String path) {
        List<CompletableFuture<Answer>> calls = gateways.stream().map(gateway -> CompletableFuture.supplyAsync(
                () -> send(gateway, "POST", path))).toList();
        return calls.stream().map(CompletableFuture::join).toList();
    }

    /** Exactly one 202; every other answer 409 with {@code code}. */
    private static String oneRuns(List<Answer> started, String code) {
        long accepted = started.stream().filter(answer -> answer.status() == 202).count();
        boolean othersRefused = started.stream().allMatch(answer -> answer.status() == 202
                || answer.status() == 409 && code.equals(answer.json().path("error").path("code").asText()));
        return accepted == 1 && othersRefused ? null : "expected one 202 and 409 " + code + " from the others, got "
                + started;
    }

    private static List<Integer> statuses(List<Answer> answers) {
        return answers.stream().map(Answer::status).toList();
    }

    private Answer send(String gateway, String method, String path) {
        HttpRequest request = HttpRequest.newBuilder(URI.create(gateway + path)).timeout(Duration.ofSeconds(60))
                .header("Authorization", "Bearer " + admin).header("Accept", "application/json")
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        try {
            HttpResponse<String> response = http.send(request, HttpResponse.BodyHandlers.ofString());
            return new Answer(response.statusCode(), response.body());
        } catch (IOException e) {
            return new Answer(0, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Answer(0, "interrupted");
        }
    }

    /** An HTTP status and body (status 0: no answer). */
    private record Answer(int status, String body) {

        JsonNode json() {
            try {
                return JSON.readTree(body);
            } catch (IOException e) {
                return JSON.missingNode();
            }
        }

        @Override
        public String toString() {
            return status + " " + body;
        }
    }
}
