package io.playbill.infra.loadgen.bench.jmh;

import org.openjdk.jmh.runner.Runner;
import org.openjdk.jmh.runner.RunnerException;
import org.openjdk.jmh.runner.options.Options;
import org.openjdk.jmh.runner.options.OptionsBuilder;
import org.openjdk.jmh.runner.options.TimeValue;

import java.io.File;

/**
 * {@code ./playbill bench --jmh}: the JMH micro-benchmarks, one forked JVM each, about a minute in all. The fork
 * gets this JVM's class path, so it must be plain jars and classes (the script runs this from the module's jar
 * and {@code target/runtime-classpath.txt}), never the nested jars of the executable jar.
 */
public final class JmhMain {

    public static void run() throws RunnerException {
        String classPath = System.getProperty("java.class.path", "");
        if (!classPath.contains(File.pathSeparator) && classPath.endsWith("-exec.jar")) {
            throw new IllegalStateException("JMH cannot fork from the executable jar: run ./playbill bench --jmh");
        }
        Options options = new OptionsBuilder()
                .include(JwtSigningBenchmark.class.getName())
                .include(BillingArithmeticBenchmark.class.getName())
                .forks(1)
                .warmupIterations(3)
                .warmupTime(TimeValue.seconds(2))
                .measurementIterations(5)
                .measurementTime(TimeValue.seconds(2))
                .jvmArgs("-Xms256m", "-Xmx256m")
                .build();
        new Runner(options).run();
    }

    private JmhMain() {
    }
}
