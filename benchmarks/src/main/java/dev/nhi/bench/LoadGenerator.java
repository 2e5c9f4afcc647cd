package dev.nhi.bench;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;

/**
 * Load on a token endpoint: {@code connections} threads, each with its own keep-alive HTTP/1.1 client,
 * send client-credentials requests for a fixed duration, back to back (closed loop) or at a fixed rate.
 */
final class LoadGenerator {
    /** One run's figures; {@code serverCpuSeconds} is the CPU the server used meanwhile, when measured (else 0). */
    record Result(long requests, long errors, double seconds, List<Long> latenciesNanos, double serverCpuSeconds) {
        double throughput() {
            return requests / seconds;
        }

        double serverCpuMillisPerToken() {
            return serverCpuSeconds * 1000 / Math.max(1, requests + errors);
        }

        Result withServerCpu(double cpuSeconds) {
            return new Result(requests, errors, seconds, latenciesNanos, cpuSeconds);
        }
    }

    private LoadGenerator() {
    }

    static Result run(String tokenUrl, String clientId, String secret, int connections, Duration duration)
            throws Exception {
        return run(tokenUrl, clientId, secret, connections, duration, 0);
    }

    /** @param perSecond the rate to hold across all connections, or 0 for back to back */
    static Result run(String tokenUrl, String clientId, String secret, int connections, Duration duration,
                      double perSecond) throws Exception {
        String basic = "Basic " + Base64.getEncoder().encodeToString((clientId + ":" + secret)
                .getBytes(StandardCharsets.UTF_8));
        ExecutorService pool = Executors.newFixedThreadPool(connections);
        long begin = System.nanoTime();
        long end = begin + duration.toNanos();
        AtomicLong tickets = new AtomicLong();
        List<Future<long[]>> futures = new ArrayList<>();
        List<List<Long>> latencies = new ArrayList<>();
        for (int c = 0; c < connections; c++) {
            List<Long> mine = new ArrayList<>();
            latencies.add(mine);
            futures.add(pool.submit(() -> {
                HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1)
                        .connectTimeout(Duration.ofSeconds(5)).build();
                HttpRequest request = HttpRequest.newBuilder(URI.create(tokenUrl)).timeout(Duration.ofSeconds(30))
                        .header("Authorization", basic).header("Content-Type", "application/x-www-form-urlencoded")
                        .POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials")).build();
                long ok = 0;
                long failed = 0;
                while (System.nanoTime() < end) {
                    if (perSecond > 0) {
                        LockSupport.parkNanos(begin + (long) (tickets.getAndIncrement() * 1e9 / perSecond)
                                - System.nanoTime());
                    }
                    long start = System.nanoTime();
                    int status = http.send(request, HttpResponse.BodyHandlers.discarding()).statusCode();
                    mine.add(System.nanoTime() - start);
                    if (status == 200) {
                        ok++;
                    } else {
                        failed++;
                    }
                }
                return new long[] {ok, failed};
            }));
        }
        long started = System.nanoTime();
        long ok = 0;
        long failed = 0;
        for (Future<long[]> f : futures) {
            long[] r = f.get();
            ok += r[0];
            failed += r[1];
        }
        double seconds = (System.nanoTime() - started) / 1e9;
        pool.shutdown();
        List<Long> all = new ArrayList<>();
        latencies.forEach(all::addAll);
        return new Result(ok, failed, seconds, all, 0);
    }

    static double percentileMillis(List<Long> nanos, double p) {
        List<Long> sorted = new ArrayList<>(nanos);
        sorted.sort(null);
        if (sorted.isEmpty()) {
            return Double.NaN;
        }
        int index = (int) Math.min(sorted.size() - 1, Math.ceil(p / 100.0 * sorted.size()) - 1);
        return sorted.get(Math.max(0, index)) / 1e6;
    }
}
