package io.playbill.infra.kafka;

/**
 * {@code ./playbill topics --bootstrap-servers HOST:PORT [--replication-factor N]}: creates the platform's
 * topics on an external cluster.
 */
public final class TopicsMain {

    public static void main(String[] args) {
        String bootstrap = null;
        short replication = 3;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--bootstrap-servers" -> bootstrap = args[++i];
                case "--replication-factor" -> replication = Short.parseShort(args[++i]);
                default -> {
                    System.err.println("Unknown option " + args[i]);
                    System.exit(2);
                }
            }
        }
        if (bootstrap == null) {
            System.err.println("Usage: topics --bootstrap-servers HOST:PORT [--replication-factor N]");
            System.exit(2);
        }
        PlaybillTopics.createMissing(bootstrap, replication);
        PlaybillTopics.all(replication).forEach(t -> System.out.printf("%s: %d partitions, %s%n",
                t.name(), t.numPartitions(), t.configs()));
    }

    private TopicsMain() {
    }
}
