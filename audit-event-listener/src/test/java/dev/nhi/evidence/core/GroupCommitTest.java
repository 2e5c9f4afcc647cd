package dev.nhi.evidence.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class GroupCommitTest {
    @Test
    void itemsThatArriveWhileTheWriterIsBusyAreStoredTogetherInTheirOrder() throws Exception {
        GatedWriter writer = new GatedWriter();
        try (GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 100, 50, Duration.ZERO, writer)) {
            writer.writeWithCompany(commit, 10);
        }
        assertThat(writer.batches).containsExactly(List.of(1), List.of(2, 3, 4, 5, 6, 7, 8, 9, 10, 11));
    }

    @Test
    void aBatchIsNeverLargerThanTheMaximum() throws Exception {
        CountDownLatch release = new CountDownLatch(1);
        List<Integer> sizes = Collections.synchronizedList(new ArrayList<>());
        List<CompletableFuture<Void>> all = new ArrayList<>();
        try (GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 100, 4, Duration.ZERO, batch -> {
            release.await(5, TimeUnit.SECONDS);
            sizes.add(batch.size());
        })) {
            for (int i = 0; i < 10; i++) {
                all.add(commit.submit(i));
            }
            release.countDown();
            for (CompletableFuture<Void> f : all) {
                f.get(5, TimeUnit.SECONDS);
            }
        }
        assertThat(sizes).allMatch(size -> size <= 4);
        assertThat(sizes.stream().mapToInt(Integer::intValue).sum()).isEqualTo(10);
    }

    @Test
    void aFailedWriteFailsEveryItemInItAndTheNextWriteGoesOn() throws Exception {
        List<List<String>> stored = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<String> commit = new GroupCommit<>("test-writer", 10, 10, Duration.ZERO, batch -> {
            if (batch.contains("bad")) {
                throw new SQLException("connection refused");
            }
            stored.add(List.copyOf(batch));
        })) {
            CompletableFuture<Void> bad = commit.submit("bad");
            assertThatThrownBy(() -> bad.get(5, TimeUnit.SECONDS)).isInstanceOf(ExecutionException.class)
                    .hasRootCauseInstanceOf(SQLException.class).hasRootCauseMessage("connection refused");
            commit.submit("good").get(5, TimeUnit.SECONDS);
        }
        assertThat(stored).containsExactly(List.of("good"));
    }

    @Test
    void aFullQueueFailsAnItemAtOnceInsteadOfBlocking() throws Exception {
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch release = new CountDownLatch(1);
        try (GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 2, 10, Duration.ZERO, batch -> {
            writing.countDown();
            release.await(5, TimeUnit.SECONDS);
        })) {
            commit.submit(0);
            assertThat(writing.await(5, TimeUnit.SECONDS)).isTrue();
            commit.submit(1);
            commit.submit(2);
            CompletableFuture<Void> overflow = commit.submit(3);
            assertThat(overflow).isCompletedExceptionally();
            assertThatThrownBy(overflow::get).hasMessageContaining("queue of 2 waiting items is full");
            release.countDown();
        }
    }

    @Test
    void closeStoresWhatIsQueuedAndRefusesWhatComesAfter() throws Exception {
        List<Integer> stored = Collections.synchronizedList(new ArrayList<>());
        GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 100, 10, Duration.ZERO, batch -> {
            Thread.sleep(20);
            stored.addAll(batch);
        });
        List<CompletableFuture<Void>> queued = new ArrayList<>();
        for (int i = 0; i < 30; i++) {
            queued.add(commit.submit(i));
        }
        commit.close(Duration.ofSeconds(5));
        for (CompletableFuture<Void> f : queued) {
            assertThat(f).isCompleted().isNotCompletedExceptionally();
        }
        assertThat(stored).hasSize(30);
        assertThat(commit.submit(99)).isCompletedExceptionally();
    }

    @Test
    void aLoneCallerIsNeverKeptWaitingForCompany() throws Exception {
        List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        try (GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 100, 10, Duration.ofSeconds(30),
                batch -> batches.add(List.copyOf(batch)))) {
            // each right after the previous write: no one else submits, so none waits the 30 s
            for (int i = 1; i <= 3; i++) {
                commit.submit(i).get(10, TimeUnit.SECONDS);
            }
        }
        assertThat(batches).containsExactly(List.of(1), List.of(2), List.of(3));
    }

    @Test
    void underLoadABatchWaitsForCompany() throws Exception {
        GatedWriter writer = new GatedWriter();
        try (GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 100, 2, Duration.ofSeconds(30), writer)) {
            writer.writeWithCompany(commit, 2);
            // right after a write that had company: the next batch waits (up to 30 s, or a full batch of 2)
            CompletableFuture<Void> fourth = commit.submit(4);
            Thread.sleep(200);
            assertThat(fourth).isNotDone();
            CompletableFuture<Void> fifth = commit.submit(5);
            CompletableFuture.allOf(fourth, fifth).get(10, TimeUnit.SECONDS);
        }
        assertThat(writer.batches).containsExactly(List.of(1), List.of(2, 3), List.of(4, 5));
    }

    @Test
    void closeEndsABatchsWaitAndStoresIt() throws Exception {
        GatedWriter writer = new GatedWriter();
        GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 100, 2, Duration.ofSeconds(30), writer);
        writer.writeWithCompany(commit, 2);
        CompletableFuture<Void> waiting = commit.submit(4);
        Thread.sleep(200);
        assertThat(waiting).isNotDone();
        commit.close(Duration.ofSeconds(5));
        assertThat(waiting).isCompleted().isNotCompletedExceptionally();
        assertThat(writer.batches).containsExactly(List.of(1), List.of(2, 3), List.of(4));
    }

    @Test
    void aBatchFilledWhileTheWriterSetsUpItsWaitIsWrittenAtOnce() throws Exception {
        // Under load with a 60 s wait and batches of 2: each pair, submitted from two threads at once, is written
        // as soon as both are in, however their submits interleave with the writer's taking the first and
        // setting up its wait. A missed wake-up would leave a pair waiting the whole 60 s.
        int pairs = 10_000;
        GatedWriter writer = new GatedWriter();
        try (GroupCommit<Integer> commit = new GroupCommit<>("test-writer", 100, 2, Duration.ofSeconds(60), writer)) {
            writer.writeWithCompany(commit, 2);
            ExecutorService second = Executors.newSingleThreadExecutor();
            try {
                for (int pair = 0; pair < pairs; pair++) {
                    int first = 10 + 2 * pair;
                    // the second item comes up to 100 µs after the first: around the writer's taking it
                    long lag = TimeUnit.MICROSECONDS.toNanos(pair % 100);
                    CyclicBarrier together = new CyclicBarrier(2);
                    Future<CompletableFuture<Void>> other = second.submit(() -> {
                        together.await();
                        for (long start = System.nanoTime(); System.nanoTime() - start < lag; ) {
                            Thread.onSpinWait();
                        }
                        return commit.submit(first + 1);
                    });
                    together.await();
                    CompletableFuture<Void> mine = commit.submit(first);
                    CompletableFuture.allOf(mine, other.get()).get(10, TimeUnit.SECONDS);
                }
            } finally {
                second.shutdownNow();
            }
        }
        assertThat(writer.batches).hasSize(2 + pairs);
        for (int pair = 0; pair < pairs; pair++) {
            assertThat(writer.batches.get(2 + pair)).containsExactlyInAnyOrder(10 + 2 * pair, 11 + 2 * pair);
        }
    }

    /** A writer whose first write waits until items have queued behind it. */
    private static final class GatedWriter implements GroupCommit.Writer<Integer> {
        final List<List<Integer>> batches = Collections.synchronizedList(new ArrayList<>());
        private final CountDownLatch writing = new CountDownLatch(1);
        private final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void write(List<Integer> batch) throws Exception {
            batches.add(List.copyOf(batch));
            writing.countDown();
            release.await(10, TimeUnit.SECONDS);
        }

        /**
         * Stores 1, then the {@code behind} items after it (2, 3, ...), submitted while 1 is being written,
         * together: a write with company (at once only when they make a full batch).
         */
        void writeWithCompany(GroupCommit<Integer> commit, int behind) throws Exception {
            CompletableFuture<Void> first = commit.submit(1);
            assertThat(writing.await(10, TimeUnit.SECONDS)).isTrue();
            List<CompletableFuture<Void>> all = new ArrayList<>(List.of(first));
            for (int i = 2; i <= behind + 1; i++) {
                all.add(commit.submit(i));
            }
            assertThat(first).isNotDone();
            release.countDown();
            CompletableFuture.allOf(all.toArray(CompletableFuture[]::new)).get(10, TimeUnit.SECONDS);
        }
    }
}
