package dev.nhi.launcher;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;

/**
 * The real Keycloak distribution as a child process: unpacked from the Maven zip, our jar in
 * {@code providers/}, started with {@code kc.sh start-dev} on free ports, ready when
 * {@code /health/ready} answers, stopped with its whole process tree. The server log stays in the
 * work directory as a test artifact.
 */
public final class KeycloakServer implements AutoCloseable {
    public static final String ADMIN_USER = "admin";
    public static final String ADMIN_PASSWORD = "admin";
    private static final Duration READY_TIMEOUT = Duration.ofMinutes(5);
    private static final Duration STOP_TIMEOUT = Duration.ofSeconds(30);

    private final Path log;
    private final int httpPort;
    private final Process process;
    private volatile boolean paused;

    private KeycloakServer(Path log, int httpPort, Process process) {
        this.log = log;
        this.httpPort = httpPort;
        this.process = process;
    }

    /** Options for one server. */
    public static final class Options {
        private Path distZip;
        private Path providerJar;
        private Path workDir;
        private int httpPort;
        private int managementPort;
        private final Map<String, String> serverOptions = new LinkedHashMap<>();
        private String javaOptions;

        /** The distribution, our jar (null for vanilla Keycloak) and where to unpack and log. */
        public Options(Path distZip, Path providerJar, Path workDir) {
            this.distZip = distZip;
            this.providerJar = providerJar;
            this.workDir = workDir;
        }

        /** Fixed ports (0 picks free ones). */
        public Options ports(int http, int management) {
            this.httpPort = http;
            this.managementPort = management;
            return this;
        }

        /** JVM options for the server ({@code JAVA_OPTS_APPEND}), after any the environment already has. */
        public Options javaOptions(String options) {
            this.javaOptions = options;
            return this;
        }

        /** A {@code --key=value} server option. */
        public Options option(String key, String value) {
            serverOptions.put(key, value);
            return this;
        }

        public Options database(Database db) {
            db.serverOptions().forEach(this::option);
            return this;
        }

        /** From the system properties the build sets: {@code nhi.dist.zip}, {@code nhi.provider.jar}, {@code nhi.work.dir}. */
        public static Options fromSystemProperties() {
            return new Options(Path.of(required("nhi.dist.zip")), Path.of(required("nhi.provider.jar")),
                    Path.of(required("nhi.work.dir")));
        }

        private static String required(String name) {
            String value = System.getProperty(name);
            if (value == null || value.isBlank()) {
                throw new IllegalStateException("system property " + name + " is not set (run through Maven)");
            }
            return value;
        }
    }

    public static KeycloakServer start(Options o) throws IOException, InterruptedException {
        Path home = unpack(o.distZip, o.workDir);
        Path providers = home.resolve("providers");
        try (var old = Files.list(providers)) {
            for (Path p : old.filter(p -> p.toString().endsWith(".jar")).toList()) {
                Files.delete(p);
            }
        }
        if (o.providerJar != null) {
            if (!Files.isRegularFile(o.providerJar)) {
                throw new IllegalStateException("provider jar " + o.providerJar + " is missing: build it with mvn package");
            }
            Files.copy(o.providerJar, providers.resolve(o.providerJar.getFileName()), StandardCopyOption.REPLACE_EXISTING);
        }
        int http = o.httpPort != 0 ? o.httpPort : freePort();
        int management = o.managementPort != 0 ? o.managementPort : freePort();
        List<String> command = new ArrayList<>(List.of("bash", home.resolve("bin/kc.sh").toString(), "start-dev",
                "--http-port=" + http, "--http-management-port=" + management, "--health-enabled=true",
                "--hostname-strict=false"));
        o.serverOptions.forEach((k, v) -> command.add("--" + k + "=" + v));
        Path log = o.workDir.resolve("keycloak.log");
        ProcessBuilder builder = new ProcessBuilder(command).directory(home.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        builder.environment().put("KC_BOOTSTRAP_ADMIN_USERNAME", ADMIN_USER);
        builder.environment().put("KC_BOOTSTRAP_ADMIN_PASSWORD", ADMIN_PASSWORD);
        if (o.javaOptions != null) {
            builder.environment().merge("JAVA_OPTS_APPEND", o.javaOptions, (inherited, mine) -> inherited + " " + mine);
        }
        Files.writeString(log, "### " + Instant.now() + " " + String.join(" ", command) + System.lineSeparator(),
                StandardOpenOption.CREATE, StandardOpenOption.APPEND);
        KeycloakServer server = new KeycloakServer(log, http, builder.start());
        server.awaitReady(management);
        return server;
    }

    /** Blocks until the server process ends (the demo runs until Ctrl-C). */
    public void awaitExit() throws InterruptedException {
        process.waitFor();
    }

    public String baseUrl() {
        return "http://127.0.0.1:" + httpPort;
    }

    public Path log() {
        return log;
    }

    /** The server's process and every process it started. */
    private List<ProcessHandle> processTree() {
        List<ProcessHandle> tree = new ArrayList<>(process.descendants().toList());
        tree.add(process.toHandle());
        return tree;
    }

    /** CPU time the server's processes have used so far (kc.sh and the JVM it runs), for cost per request. */
    public Duration cpuTime() {
        List<ProcessHandle> tree = processTree();
        return tree.stream().map(p -> p.info().totalCpuDuration().orElse(Duration.ZERO))
                .reduce(Duration.ZERO, Duration::plus);
    }

    /**
     * Suspends the server's processes (SIGSTOP): a server that waits its turn in a benchmark then takes no
     * CPU from the one being measured. Linux and macOS only.
     */
    public void pause() throws IOException, InterruptedException {
        signal("STOP");
        paused = true;
    }

    /** Resumes a {@linkplain #pause() paused} server (SIGCONT). */
    public void resume() throws IOException, InterruptedException {
        signal("CONT");
        paused = false;
    }

    private void signal(String name) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("kill", "-" + name));
        processTree().forEach(p -> command.add(Long.toString(p.pid())));
        Process kill = new ProcessBuilder(command).redirectErrorStream(true).start();
        if (!kill.waitFor(STOP_TIMEOUT.toSeconds(), TimeUnit.SECONDS) || kill.exitValue() != 0) {
            throw new IllegalStateException("kill -" + name + " failed: " + new String(kill.getInputStream().readAllBytes()));
        }
    }

    /** Kills the server and every process it started at once (SIGKILL), as a crash would, and waits for them. */
    public void crash() throws InterruptedException {
        List<ProcessHandle> tree = processTree();
        tree.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle p : tree) {
            try {
                p.onExit().get(STOP_TIMEOUT.toNanos(), TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                throw new IllegalStateException("process " + p.pid() + " survived SIGKILL", e);
            }
        }
    }

    /** Stops the server and every process it started; forcibly after {@value #STOP_TIMEOUT}. */
    @Override
    public void close() {
        if (paused) {
            try {
                resume(); // a stopped process leaves SIGTERM pending
            } catch (IOException | IllegalStateException e) {
                // still stopped: the SIGKILL after the timeout below ends it
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        List<ProcessHandle> tree = processTree();
        tree.forEach(ProcessHandle::destroy);
        long deadline = System.nanoTime() + STOP_TIMEOUT.toNanos();
        for (ProcessHandle p : tree) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                p.onExit().get(left, TimeUnit.NANOSECONDS);
            } catch (ExecutionException | TimeoutException e) {
                p.destroyForcibly();
            } catch (InterruptedException e) {
                p.destroyForcibly();
                Thread.currentThread().interrupt();
            }
        }
    }

    private void awaitReady(int managementPort) throws IOException, InterruptedException {
        HttpClient client = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
        HttpRequest ready = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + managementPort + "/health/ready"))
                .timeout(Duration.ofSeconds(5)).GET().build();
        long deadline = System.nanoTime() + READY_TIMEOUT.toNanos();
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("Keycloak exited with " + process.exitValue() + " before it was ready;"
                        + " log " + log + ":\n" + tail());
            }
            try {
                if (client.send(ready, HttpResponse.BodyHandlers.discarding()).statusCode() == 200) {
                    return;
                }
            } catch (IOException notYet) {
                // not listening yet
            }
            Thread.sleep(500);
        }
        close();
        throw new IllegalStateException("Keycloak was not ready within " + READY_TIMEOUT + "; log " + log + ":\n" + tail());
    }

    private String tail() throws IOException {
        List<String> lines = Files.readAllLines(log);
        return String.join("\n", lines.subList(Math.max(0, lines.size() - 60), lines.size()));
    }

    /** Unpacks once per work directory; later starts reuse it (the H2 data lives elsewhere). */
    private static Path unpack(Path zip, Path workDir) throws IOException {
        Files.createDirectories(workDir);
        Path marker = workDir.resolve(".unpacked");
        if (!Files.exists(marker)) {
            try (ZipInputStream in = new ZipInputStream(Files.newInputStream(zip))) {
                for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                    Path target = workDir.resolve(entry.getName()).normalize();
                    if (!target.startsWith(workDir)) {
                        throw new IOException("zip entry outside the target: " + entry.getName());
                    }
                    if (entry.isDirectory()) {
                        Files.createDirectories(target);
                    } else {
                        Files.createDirectories(target.getParent());
                        Files.copy(in, target, StandardCopyOption.REPLACE_EXISTING);
                    }
                }
            }
            Files.writeString(marker, zip.toString());
        }
        try (var dirs = Files.list(workDir)) {
            return dirs.filter(p -> p.getFileName().toString().startsWith("keycloak-") && Files.isDirectory(p))
                    .findFirst().orElseThrow(() -> new IOException("no keycloak-* directory in " + workDir));
        }
    }

    /** A port free right now: fixed in {@link Options#ports}, a restarted server keeps its address. */
    public static int freePort() {
        try (ServerSocket socket = new ServerSocket(0)) {
            return socket.getLocalPort();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
