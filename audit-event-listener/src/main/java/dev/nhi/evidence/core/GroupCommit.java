package dev.nhi.evidence.core;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;

/**
 * Group commit: callers hand in items and wait until one writer thread has stored them, the items of every
 * caller that arrived meanwhile in a single write. A write that fails fails each of its items; no item is
 * reported stored that was not. The queue is bounded: when it is full, an item fails at once.
 *
 * <p>Under load a batch waits up to {@code batchWait} for more items before it is written, because each
 * write costs a commit (a flush to disk), whatever its size. "Under load" means that its first item came
 * within {@code batchWait} of the previous write's end, and that this batch or the one before has more
 * than one item: a lone item after a pause is written at once, and so is each item of a lone caller that
 * submits one after the other, for whom no company can come.
 * The writer sleeps through that wait rather than waking for each item that joins: a wake-up per item is
 * a context switch per token on a busy server. Only a full batch, or {@link #close}, wakes it early.
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
    private final long batchWaitNanos;
    private final Thread thread;
    private volatile boolean closed;
    /** While a batch waits for company, how many more items fill it; 0 otherwise. */
    private volatile int roomWhileWaiting;
    /** When the last write ended (the writer thread's own); before the first, longer ago than any wait. */
    private long lastWriteEnd;
    /** Whether the last write had more than one item (the writer thread's own). */
    private boolean lastHadCompany;

    public GroupCommit(String threadName, int capacity, int maxBatch, Duration batchWait, Writer<T> writer) {
        if (capacity < 1 || maxBatch < 1 || batchWait.isNegative()) {
            throw new IllegalArgumentException("capacity and maxBatch must be at least 1, batchWait not negative");
        }
        this.queue = new ArrayBlockingQueue<>(capacity);
        this.capacity = capacity;
        this.maxBatch = maxBatch;
        this.batchWaitNanos = batchWait.toNanos();
        this.writer = writer;
        this.lastWriteEnd = System.nanoTime() - batchWaitNanos - 1;
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
        } else {
            int room = roomWhileWaiting;
            if (room > 0 && queue.size() >= room) {
                LockSupport.unpark(thread);
            }
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
            if (System.nanoTime() - lastWriteEnd <= batchWaitNanos && (lastHadCompany || batch.size() > 1)) {
                awaitMore(batch);
            }
            lastHadCompany = batch.size() > 1;
            List<T> items = new ArrayList<>(batch.size());
            batch.forEach(e -> items.add(e.item()));
            try {
                writer.write(items);
                batch.forEach(e -> e.stored().complete(null));
            } catch (Throwable t) {
                batch.forEach(e -> e.stored().completeExceptionally(t));
            }
            batch.clear();
            lastWriteEnd = System.nanoTime();
        }
    }

    /** Adds the items that arrive within {@code batchWait}, up to a full batch; {@link #close} ends the wait. */
    private void awaitMore(List<Entry<T>> batch) {
        long deadline = System.nanoTime() + batchWaitNanos;
        try {
            for (long left = batchWaitNanos; left > 0 && batch.size() < maxBatch && !closed;
                 left = deadline - System.nanoTime()) {
                int room = maxBatch - batch.size();
                roomWhileWaiting = room;
                // an item queued before the room was set did not wake the writer: look before sleeping
                if (queue.size() < room) {
                    LockSupport.parkNanos(this, left);
                }
                if (Thread.currentThread().isInterrupted()) {
                    return;
                }
                queue.drainTo(batch, maxBatch - batch.size());
            }
        } finally {
            roomWhileWaiting = 0;
        }
        queue.drainTo(batch, maxBatch - batch.size());
    }

    /**
     * Stops taking items, stores what is queued, and waits for the writer up to {@code timeout}; items still
     * waiting then fail.
     */
    public void close(Duration timeout) {
        closed = true;
        LockSupport.unpark(thread);
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
