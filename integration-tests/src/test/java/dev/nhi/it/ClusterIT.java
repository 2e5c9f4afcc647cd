package dev.nhi.it;

import static org.assertj.core.api.Assertions.assertThat;

import dev.nhi.evidence.core.Checkpoints;
import dev.nhi.launcher.Database;
import dev.nhi.launcher.KeycloakServer;
import dev.nhi.launcher.RealmAdmin;
import dev.nhi.launcher.RestClient;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;

/**
 * Two Keycloak nodes on one PostgreSQL database, clustered as in production (embedded Infinispan, nodes found
 * through the database), behind one hostname. Each node generates its own signing key; both ship to one
 * file sink directory, as shared storage would be. A suspension made through one node refuses tokens on the
 * other at once. While clients take tokens from both nodes at the same time, every token received has exactly
 * one record in the realm's single chain, which verifies with the sink's key file, holding both nodes' keys;
 * the drain moves between the nodes, and neither finds the shared sink behind or ahead of it.
 * PostgreSQL only (the H2 run excludes the tag): dev-mode H2 lives inside one server's process.
 */
@Tag("database-access")
class ClusterIT {
    private static final int TOKENS_PER_THREAD = 25;

    @Test
    void twoNodesRefuseTogetherAndWriteOneChain() throws Exception {
        try (Database db = Database.freshPostgres("127.0.0.1", 5432)) {
            OwnServer nodeA = OwnServer.on(db, "cluster-a");
            OwnServer nodeB = OwnServer.on(db, "cluster-b");
            Path evidence = nodeA.evidence();
            int httpA = KeycloakServer.freePort();
            String hostname = "http://127.0.0.1:" + httpA;
            try (KeycloakServer a = KeycloakServer.start(clustered(nodeA, hostname).ports(httpA, KeycloakServer.freePort()));
                 KeycloakServer b = KeycloakServer.start(clustered(nodeB, hostname).ports(KeycloakServer.freePort(),
                         KeycloakServer.freePort()).option("spi-events-listener--nhi-evidence--file-dir", evidence.toString()))) {
                assertThat(Files.readString(b.log())).as("node B joined node A")
                        .containsPattern("ISPN000094: Received new cluster view for channel \\S+: \\[[^]]+] \\(2\\)");
                assertThat(Files.readString(b.log())).as("node B, generating a key of its own beside node A's")
                        .contains("on a cluster, give every node the same signing-key");
                NhiRealm realm = OwnServer.realm(a, db, "cluster");
                OAuthClient onB = new OAuthClient(URI.create(b.baseUrl()), URI.create(hostname), realm.name);
                RestClient restB = new RestClient(b.baseUrl());
                String clientId = realm.registeredClient("both-nodes");
                String secret = NhiRealm.secretOf(clientId);
                realm.token(clientId).assertIssued();
                onB.clientCredentials(clientId, secret).assertIssued();

                // each node has the record cached: a change through one reaches the other's next decision
                RealmAdmin.expect(realm.action(clientId, "suspend", "incident"), 200, "suspend on A");
                onB.clientCredentials(clientId, secret).assertDenied("nhi_suspended");
                RealmAdmin.expect(restB.post(realm.api("/identities/" + clientId + "/resume"), realm.adminToken(),
                        Map.of("reason", "contained")), 200, "resume on B");
                realm.token(clientId).assertIssued();

                Set<String> received = ConcurrentHashMap.newKeySet();
                ExecutorService clients = Executors.newFixedThreadPool(4);
                List<Future<?>> done = new ArrayList<>();
                for (OAuthClient node : List.of(realm.oauth, onB, realm.oauth, onB)) {
                    done.add(clients.submit(() -> {
                        for (int i = 0; i < TOKENS_PER_THREAD; i++) {
                            received.add(node.clientCredentials(clientId, secret).assertIssued().claims().getJWTID());
                        }
                        return null;
                    }));
                }
                for (Future<?> each : done) {
                    each.get(2, TimeUnit.MINUTES);
                }
                clients.shutdown();
                assertThat(received).hasSize(4 * TOKENS_PER_THREAD);

                Path chain = evidence.resolve(realm.name);
                NhiRealm.await(Duration.ofSeconds(60), () -> EvidenceFiles.issuedTokenIds(chain),
                        ids -> ids.containsAll(received), "a record of each token, from both nodes");
                EvidenceFiles.Verification verified = NhiRealm.await(Duration.ofSeconds(30),
                        () -> EvidenceFiles.verify(evidence, realm.name), v -> v.exit() == 0, "the chain to verify");
                assertThat(EvidenceFiles.count(chain, "token.issued")).as("one record per token: " + verified.output())
                        .isEqualTo(EvidenceFiles.issuedTokenIds(chain).size());
                assertThat(Checkpoints.readPublicKeys(Files.readString(evidence.resolve("nhi-evidence-public-key.pem"))))
                        .as("each node's generated key").hasSize(2);
                for (KeycloakServer node : List.of(a, b)) {
                    assertThat(Files.readString(node.log())).as("the drain moved between the nodes without a failure")
                            .doesNotContain("sink failed");
                }
            }
        }
    }

    /** The node's options for a cluster: embedded Infinispan on the loopback, the one public hostname. */
    private static KeycloakServer.Options clustered(OwnServer node, String hostname) throws IOException {
        return node.options()
                .option("cache", "ispn")
                .option("cache-embedded-network-bind-address", "127.0.0.1")
                .option("cache-embedded-network-bind-port", String.valueOf(clusterPort()))
                .option("hostname", hostname);
    }

    /**
     * A free port for the cluster transport whose failure-detection port (50,000 above it, as JGroups' FD_SOCK2
     * takes it) is free and valid too.
     */
    private static int clusterPort() throws IOException {
        InetAddress loopback = InetAddress.getLoopbackAddress();
        for (int attempt = 0; attempt < 100; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, 15_000);
            try (ServerSocket transport = new ServerSocket(port, 1, loopback);
                 ServerSocket failureDetection = new ServerSocket(port + 50_000, 1, loopback)) {
                return port;
            } catch (IOException taken) {
                // try another
            }
        }
        throw new IOException("no free port pair for the cluster transport");
    }
}
