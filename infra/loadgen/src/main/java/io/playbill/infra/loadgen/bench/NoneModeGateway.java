package io.playbill.infra.loadgen.bench;

import io.playbill.infra.standalone.DevCredentials;
import io.playbill.infra.standalone.Platform;
import io.playbill.infra.test.PostgresServer;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * A second gateway JVM beside the bench platform, started from the same executable jar with the same settings
 * as the platform's gateway except {@code PLAYBILL_BILLING_MODE=none}: token issue without the ledger, on exactly
 * the stack that serves the real traffic. The platform's launcher has no way to vary one service's settings, so
 * the bench starts this one itself, mirroring the gateway environment {@link Platform} sets.
 */
final class NoneModeGateway implements AutoCloseable {

    private static final Duration START_TIMEOUT = Duration.ofSeconds(120);

    private final Process process;
    private final String url;
    private final Path log;

    private NoneModeGateway(Process process, String url, Path log) {
        this.process = process;
        this.url = url;
        this.log = log;
    }

    static NoneModeGateway start(Path home, Platform platform, int port, List<String> jvmOptions, Path logDir)
            throws IOException, InterruptedException {
        Path jar = gatewayJar(home);
        PostgresServer.Database db = platform.database("playbill_gateway");
        List<String> command = new ArrayList<>();
        command.add(ProcessHandle.current().info().command().orElse("java"));
        command.addAll(jvmOptions);
        // Stops this gateway when the bench's JVM ends, however it ends, as the platform's services do.
        command.add("-javaagent:" + platform.watchdogAgent() + "=" + ProcessHandle.current().pid());
        command.add("-jar");
        command.add(jar.toString());
        Path log = logDir.resolve("gateway-none-mode.log");
        Files.createDirectories(logDir);
        ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        var env = builder.environment();
        env.put("SERVER_PORT", String.valueOf(port));
        // Dev mode hands an admin token to anyone who asks: this machine only, like the platform's own gateway.
        env.put("SERVER_ADDRESS", "127.0.0.1");
        env.put("SPRING_PROFILES_ACTIVE", "standalone");
        env.put("PLAYBILL_DEV_MODE", "true");
        env.put("SPRING_KAFKA_BOOTSTRAP_SERVERS", platform.kafkaBootstrapServers());
        env.put("SPRING_DATASOURCE_URL", db.jdbcUrl());
        env.put("SPRING_DATASOURCE_USERNAME", db.username());
        env.put("SPRING_DATASOURCE_PASSWORD", db.password());
        env.put("PLAYBILL_SECURITY_USER_JWT_HMAC_SECRET", DevCredentials.USER_JWT_SECRET);
        env.put("PLAYBILL_TOKEN_SECRET", DevCredentials.CUSTOMER_TOKEN_SECRET);
        env.put("PLAYBILL_TOKEN_ISSUER", DevCredentials.TOKEN_ISSUER);
        env.put("PLAYBILL_TOKEN_CUSTOMER", DevCredentials.TOKEN_CUSTOMER);
        env.put("PLAYBILL_QUERY_SERVICE_URL", platform.serviceUrls().get("query-service"));
        env.put("PLAYBILL_INTERNAL_KEY", platform.internalKey());
        env.put("PLAYBILL_CLOUD_ENDPOINT", "127.0.0.1:" + platform.gsEmulator().port());
        env.put("PLAYBILL_CLOUD_PROTOCOL", "http://");
        env.put("PLAYBILL_CLOUD_SECRET_ID", DevCredentials.GS_SECRET_ID);
        env.put("PLAYBILL_CLOUD_SECRET_KEY", DevCredentials.GS_SECRET_KEY);
        env.put("PLAYBILL_BILLING_MODE", "none");
        NoneModeGateway gateway = new NoneModeGateway(builder.start(), "http://127.0.0.1:" + port, log);
        try {
            gateway.awaitHealthy();
        } catch (IllegalStateException | InterruptedException e) {
            gateway.close();
            throw e;
        }
        return gateway;
    }

    String url() {
        return url;
    }

    private void awaitHealthy() throws InterruptedException {
        HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest health = HttpRequest.newBuilder(URI.create(url + "/actuator/health"))
                .timeout(Duration.ofSeconds(2)).build();
        long deadline = System.nanoTime() + START_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("the none-mode gateway exited during start-up; see " + log);
            }
            try {
                if (http.send(health, HttpResponse.BodyHandlers.ofString()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // Not listening yet.
            }
            Thread.sleep(250);
        }
        throw new IllegalStateException("the none-mode gateway was not healthy within "
                + START_TIMEOUT.toSeconds() + " s; see " + log);
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }

    private static Path gatewayJar(Path home) throws IOException {
        Path target = home.resolve("gateway/target");
        if (Files.isDirectory(target)) {
            try (DirectoryStream<Path> jars = Files.newDirectoryStream(target, "gateway-*-exec.jar")) {
                for (Path jar : jars) {
                    return jar;
                }
            }
        }
        throw new IllegalStateException("No gateway executable jar under " + target + ": build first");
    }
}
