package dev.nhi.evidence.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/**
 * Group commit: callers hand in items and wait until one writer thread has stored them, the items of every
 * caller that arrived meanwhile in a single write. A write that fails fails each of its items; no item is
 * reported stored that was not. The queue is bounded: when it is full, an item fails at once.
 *
 * @param <T> what is stored
 */
public final class GroupCommit<T> implements AutoCloseable {
    /** Stores one batch, all or nothing. */
    @FunctionalInterface
    public interface Writer<T> {
        void write(List<T> batch) throws Exception;
    }

    private record Entry<T>(T item, CompletableFuture<Void> stored) {
    }

    private static final long POLL_MILLIS = 100;

    private final BlockingQueue<Entry<T>> queue;
    private final int capacity;
    private final int maxBatch;
    private final Writer<T> writer;
    private final Thread thread;
    private volatile boolean closed;

    public GroupCommit(String threadName, int capacity, int maxBatch, Writer<T> writer) {
        if (capacity < 1 || maxBatch < 1) {
            throw new IllegalArgumentException("capacity and maxBatch must be at least 1");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.writer = writer;
        this.thread = new Thread(this::run, threadName);
        thread.setDaemon(true);
        thread.start();
    }

    /** Queues {@code item}: the answer completes once its batch is stored, exceptionally when it was not. */
    public CompletableFuture<Void> submit(T item) {
        Entry<T> entry = new Entry<>(item, new CompletableFuture<>());
        if (closed) {
            entry.stored().completeExceptionally(new IllegalStateException("closed"));
        } else if (!queue.offer(entry)) {
            entry.stored().completeExceptionally(new IllegalStateException("the queue of " + capacity
                    + " waiting items is full: the writer is behind"));
        }
        return entry.stored();
    }

    private void run() {
        List<Entry<T>> batch = new ArrayList<>(maxBatch);
        while (!closed || !queue.isEmpty()) {
            Entry<T> first;
            try {
                first = queue.poll(POLL_MILLIS, TimeUnit.MILLISECONDS);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
            if (first == null) {
                continue;
            }
            batch.add(first);
            queue.drainTo(batch, maxBatch - 1);
            List<T> items = new ArrayList<>(batch.size());
            batch.forEach(e -> items.add(e.item()));
            try {
                writer.write(items);
                batch.forEach(e -> e.stored().complete(null));
            } catch (Throwable t) {
                batch.forEach(e -> e.stored().completeExceptionally(t));
            }
            batch.clear();
        }
    }

    /**
     * Stops taking items, stores what is queued, and waits for the writer up to {@code timeout}; items still
     * waiting then fail.
     */
    public void close(Duration timeout) {
        closed = true;
        try {
            thread.join(timeout.toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        if (thread.isAlive()) {
            thread.interrupt();
        }
        // an item queued while the writer was stopping, or one it never reached
        for (Entry<T> left = queue.poll(); left != null; left = queue.poll()) {
            left.stored().completeExceptionally(new IllegalStateException("closed before it was stored"));
        }
    }

    @Override
    public void close() {
        close(Duration.ofSeconds(10));
    }
}
