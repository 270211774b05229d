package io.playbill.infra.loadgen.bench.jmh;

import com.auth0.jwt.JWT;
import com.auth0.jwt.algorithms.Algorithm;
import io.playbill.infra.standalone.DevCredentials;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.concurrent.TimeUnit;

/**
 * The CPU cost of one SDK token: a renewToken with the gateway's exact claims (TokenSigner), signed HS256 with
 * com.auth0 java-jwt. {@link #signRenewToken} uses an {@link Algorithm} built once, as the gateway does;
 * {@link #signRenewTokenBuildingAlgorithmEachTime} shows what building it per token would cost.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
public class JwtSigningBenchmark {

    private final byte[] secret = DevCredentials.CUSTOMER_TOKEN_SECRET.getBytes(StandardCharsets.UTF_8);
    private Algorithm algorithm;
    private long deadline;

    @Setup
    public void buildAlgorithm() {
        algorithm = Algorithm.HMAC256(secret);
    }

    @Benchmark
    public String signRenewToken() {
        return renewToken(algorithm);
    }

    @Benchmark
    public String signRenewTokenBuildingAlgorithmEachTime() {
        return renewToken(Algorithm.HMAC256(secret));
    }

    private String renewToken(Algorithm signer) {
        Instant issuedAt = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        return JWT.create()
                .withIssuer(DevCredentials.TOKEN_ISSUER)
                .withAudience("mp")
                .withIssuedAt(issuedAt)
                .withExpiresAt(issuedAt.plusSeconds(300))
                .withClaim("customer", DevCredentials.TOKEN_CUSTOMER)
                .withClaim("type", "renew")
                .withClaim("session", "lgb0000000s123")
                // A changing deadline keeps the JIT from folding the payload into a constant.
                .withClaim("deadline", deadline++)
                .sign(signer);
    }
}
