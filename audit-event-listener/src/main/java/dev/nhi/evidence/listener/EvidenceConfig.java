package dev.nhi.evidence.listener;

import static dev.nhi.identity.spi.ServerOptions.bounded;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.keycloak.Config;
import org.keycloak.provider.ProviderConfigProperty;
import org.keycloak.provider.ProviderConfigurationBuilder;

/**
 * Options of {@code --spi-events-listener--nhi-evidence--<key>}, validated when Keycloak starts.
 *
 * @param signingKey a PKCS#8 PEM, or the path of a file holding one; null to generate one into {@code keyDir}
 */
record EvidenceConfig(List<String> sinks, Path fileDir, Path keyDir, String signingKey, Duration drainInterval,
                      Duration batchWait, Duration checkpointInterval, int checkpointRecords, long segmentBytes, String jdbcUrl,
                      String jdbcUser, String jdbcPassword, URI httpUrl, String httpHmacSecret, Path cursorDir) {
    static final String SINKS = "sinks";
    static final String FILE_DIR = "file-dir";
    static final String SIGNING_KEY = "signing-key";
    static final String DRAIN_INTERVAL = "drain-interval";
    static final String BATCH_WAIT = "batch-wait-ms";
    static final String CHECKPOINT_INTERVAL = "checkpoint-interval";
    static final String CHECKPOINT_RECORDS = "checkpoint-records";
    static final String SEGMENT_MEGABYTES = "segment-megabytes";
    static final String JDBC_URL = "jdbc-url";
    static final String JDBC_USER = "jdbc-user";
    static final String JDBC_PASSWORD = "jdbc-password";
    static final String HTTP_URL = "http-url";
    static final String HTTP_HMAC_SECRET = "http-hmac-secret";
    private static final int MIN_HMAC_SECRET = 16;
    private static final int DEFAULT_BATCH_WAIT = 0;
    private static final String PREFIX = "spi-events-listener--nhi-evidence--";
    /** Every sink there is: another name in {@code sinks} is refused at start-up. */
    private static final List<String> AVAILABLE_SINKS = List.of("file", "jdbc", "http");

    static final List<ProviderConfigProperty> PROPERTIES = ProviderConfigurationBuilder.create()
            .property().name(SINKS).type(ProviderConfigProperty.STRING_TYPE).defaultValue("file")
            .helpText("Comma-separated sinks the evidence is shipped to: file, jdbc, http.").add()
            .property().name(FILE_DIR).type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Directory of the file sink (one folder per realm); default <data dir>/nhi-evidence.").add()
            .property().name(SIGNING_KEY).type(ProviderConfigProperty.STRING_TYPE)
            .helpText("Ed25519 private key (PKCS#8 PEM, or a file holding it) that signs checkpoints; generated into"
                    + " <data dir>/nhi-evidence-keys when absent, its public key written beside it.").add()
            .property().name(DRAIN_INTERVAL).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(1)
            .helpText("Seconds between drains of the outbox to the sinks, on one node of the cluster.").add()
            .property().name(BATCH_WAIT).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(DEFAULT_BATCH_WAIT)
            .helpText("Milliseconds a batch of token records waits for more under load before it is committed"
                    + " (0 to 100; at 0 a batch holds what arrived while the previous one was committed): fewer commits,"
                    + " each request waiting at most this long more.").add()
            .property().name(CHECKPOINT_INTERVAL).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(60)
            .helpText("Seconds after which unsealed records are sealed by a signed checkpoint.").add()
            .property().name(CHECKPOINT_RECORDS).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(1000)
            .helpText("Records after which a signed checkpoint is written at the latest.").add()
            .property().name(SEGMENT_MEGABYTES).type(ProviderConfigProperty.INTEGER_TYPE).defaultValue(64)
            .helpText("Size at which the file sink starts a new segment.").add()
            .property().name(JDBC_URL).type(ProviderConfigProperty.STRING_TYPE)
            .helpText("jdbc:postgresql:// URL of the jdbc sink: a database other than Keycloak's.").add()
            .property().name(JDBC_USER).type(ProviderConfigProperty.STRING_TYPE)
            .helpText("The jdbc sink's user; it needs only SELECT and INSERT once the table exists.").add()
            .property().name(JDBC_PASSWORD).type(ProviderConfigProperty.PASSWORD)
            .helpText("The jdbc sink user's password.").add()
            .property().name(HTTP_URL).type(ProviderConfigProperty.STRING_TYPE)
            .helpText("https:// (or http://) URL the http sink POSTs batches of records to.").add()
            .property().name(HTTP_HMAC_SECRET).type(ProviderConfigProperty.PASSWORD)
            .helpText("Secret of the HMAC-SHA256 signature over each POSTed body (at least 16 characters).").add()
            .build();

    static EvidenceConfig from(Config.Scope scope) {
        String sinksValue = scope.get(SINKS, "file");
        List<String> sinks = List.of(sinksValue.split("\\s*,\\s*"));
        for (String sink : sinks) {
            if (!AVAILABLE_SINKS.contains(sink)) {
                throw new IllegalArgumentException("--" + PREFIX + SINKS + ": '" + sink + "' is not an available sink;"
                        + " available: " + AVAILABLE_SINKS);
            }
        }
        String jdbcUrl = scope.get(JDBC_URL);
        if (sinks.contains("jdbc") && (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql://"))) {
            throw new IllegalArgumentException("--" + PREFIX + JDBC_URL + " must be a jdbc:postgresql:// URL when the"
                    + " jdbc sink is enabled");
        }
        String httpUrl = scope.get(HTTP_URL);
        String hmacSecret = scope.get(HTTP_HMAC_SECRET);
        URI httpUri = null;
        if (sinks.contains("http")) {
            if (httpUrl == null || !(httpUrl.startsWith("https://") || httpUrl.startsWith("http://"))) {
                throw new IllegalArgumentException("--" + PREFIX + HTTP_URL + " must be an http(s):// URL when the http"
                        + " sink is enabled");
            }
            if (hmacSecret == null || hmacSecret.length() < MIN_HMAC_SECRET) {
                throw new IllegalArgumentException("--" + PREFIX + HTTP_HMAC_SECRET + " must have at least "
                        + MIN_HMAC_SECRET + " characters when the http sink is enabled");
            }
            httpUri = URI.create(httpUrl);
        }
        Path data = Path.of(System.getProperty("kc.home.dir", "."), "data");
        String fileDir = scope.get(FILE_DIR);
        return new EvidenceConfig(sinks,
                fileDir == null || fileDir.isBlank() ? data.resolve("nhi-evidence") : Path.of(fileDir),
                data.resolve("nhi-evidence-keys"),
                scope.get(SIGNING_KEY),
                Duration.ofSeconds(bounded(scope, DRAIN_INTERVAL, PREFIX + DRAIN_INTERVAL, 1, 1, 3600)),
                Duration.ofMillis(bounded(scope, BATCH_WAIT, PREFIX + BATCH_WAIT, DEFAULT_BATCH_WAIT, 0, 100)),
                Duration.ofSeconds(bounded(scope, CHECKPOINT_INTERVAL, PREFIX + CHECKPOINT_INTERVAL, 60, 1, 3600)),
                bounded(scope, CHECKPOINT_RECORDS, PREFIX + CHECKPOINT_RECORDS, 1000, 1, 1_000_000),
                bounded(scope, SEGMENT_MEGABYTES, PREFIX + SEGMENT_MEGABYTES, 64, 1, 65_536) * 1024L * 1024L,
                jdbcUrl, scope.get(JDBC_USER), scope.get(JDBC_PASSWORD), httpUri, hmacSecret,
                data.resolve("nhi-evidence-cursors"));
    }
}
