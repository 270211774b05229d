package io.playbill.infra.kafka;

import io.playbill.ledger.api.LedgerTopics;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * The Kafka ACLs each service needs, and nothing more, for a cluster that denies what no ACL allows
 * ({@code allow.everyone.if.no.acl.found=false}). One place, used by the secured embedded broker and by
 * {@code ./playbill topics --acls}; docs/operations.md has the same table.
 *
 * <p>Only the gateway may write requests: anyone who can produce to {@code playbill.ledger-requests} can move
 * money. READ and WRITE imply DESCRIBE (metadata, offsets). Producers are idempotent by default; since Kafka 3.0 a
 * WRITE on any topic lets them obtain a producer id, so no cluster-wide IDEMPOTENT_WRITE is granted.
 */
public final class PlaybillAcls {

    /** Default SCRAM user names (principals {@code User:<name>}) of the three services. */
    public static final String GATEWAY_USER = "playbill-gateway";
    public static final String LEDGER_USER = "playbill-ledger";
    public static final String QUERY_USER = "playbill-query";

    /** The ledger's intake group ({@code spring.kafka.consumer.group-id} of command-service). */
    public static final String LEDGER_GROUP = "playbill-ledger";
    /**
     * The gateway instances read replies in one group with this prefix ({@code playbill-gateway-replies-shared},
     * decision 035); gateways before it used one group each, this prefix plus a random id.
     */
    public static final String GATEWAY_REPLY_GROUP_PREFIX = "playbill-gateway-replies-";
    /** All gateway instances share this group to stop cloud games when the ledger ends a session. */
    public static final String GATEWAY_CLOUD_STOPPER_GROUP = "playbill-gateway-cloud-stopper";

    /** The principals the ACLs are granted to, e.g. {@code User:playbill-gateway}. */
    public record Principals(String gateway, String ledger, String query) {

        public Principals {
            for (String principal : new String[]{gateway, ledger, query}) {
                if (principal == null || !principal.matches("[A-Za-z]+:.+")) {
                    throw new IllegalArgumentException("A principal looks like User:name, not '" + principal + "'");
                }
            }
        }

        public static Principals defaults() {
            return new Principals("User:" + GATEWAY_USER, "User:" + LEDGER_USER, "User:" + QUERY_USER);
        }
    }

    /** Every binding, per service: gateway, then ledger (command-service), then query-service. */
    public static List<AclBinding> bindings(Principals principals) {
        List<AclBinding> acls = new ArrayList<>();
        String gateway = principals.gateway();
        acls.add(allow(gateway, topic(LedgerTopics.REQUESTS), AclOperation.WRITE));
        acls.add(allow(gateway, topic(LedgerTopics.REPLIES), AclOperation.READ));
        acls.add(allow(gateway, new ResourcePattern(ResourceType.GROUP, GATEWAY_REPLY_GROUP_PREFIX,
                PatternType.PREFIXED), AclOperation.READ));
        acls.add(allow(gateway, topic(LedgerTopics.EVENTS), AclOperation.READ));
        acls.add(allow(gateway, group(GATEWAY_CLOUD_STOPPER_GROUP), AclOperation.READ));

        String ledger = principals.ledger();
        // READ on the topic and the group also covers the intake progress's offset look-ups (DESCRIBE).
        acls.add(allow(ledger, topic(LedgerTopics.REQUESTS), AclOperation.READ));
        acls.add(allow(ledger, group(LEDGER_GROUP), AclOperation.READ));
        acls.add(allow(ledger, topic(LedgerTopics.REPLIES), AclOperation.WRITE));
        acls.add(allow(ledger, topic(LedgerTopics.EVENTS), AclOperation.WRITE));

        // The projections, replays and audits read with assign() and no consumer group.
        acls.add(allow(principals.query(), topic(LedgerTopics.EVENTS), AclOperation.READ));
        return acls;
    }

    /** Creates the bindings; existing identical bindings are left as they are. */
    public static void apply(Admin admin, Principals principals) {
        try {
            admin.createAcls(bindings(principals)).all().get(30, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            throw new IllegalStateException("Cannot create the ACLs: " + e.getCause().getMessage(), e.getCause());
        } catch (TimeoutException e) {
            throw new IllegalStateException("The ACLs were not created within 30 s", e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("Interrupted while creating the ACLs", e);
        }
    }

    private static ResourcePattern topic(String name) {
        return new ResourcePattern(ResourceType.TOPIC, name, PatternType.LITERAL);
    }

    private static ResourcePattern group(String name) {
        return new ResourcePattern(ResourceType.GROUP, name, PatternType.LITERAL);
    }

    private static AclBinding allow(String principal, ResourcePattern resource, AclOperation operation) {
        return new AclBinding(resource, new AccessControlEntry(principal, "*", operation, AclPermissionType.ALLOW));
    }

    private PlaybillAcls() {
    }
}
