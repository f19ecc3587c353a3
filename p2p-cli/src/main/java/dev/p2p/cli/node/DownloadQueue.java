package dev.p2p.cli.node;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.p2p.cli.ExitCode;
import dev.p2p.cli.Logs;
import dev.p2p.cli.UserError;
import dev.p2p.dht.store.FileErrors;
import dev.p2p.dht.store.PrivateFiles;
import dev.p2p.dht.store.StateFiles;
import dev.p2p.transfer.content.Selection;
import dev.p2p.transfer.content.ShareLink;
import dev.p2p.transfer.fetch.DownloadListener;
import dev.p2p.transfer.fetch.DownloadResult;
import dev.p2p.transfer.store.PartialDownload;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.logging.Level;

/**
 * The downloads a running node was asked for through its control API: each runs on a thread of
 * its own until done, and can be paused, resumed and cancelled. Those not done are remembered in
 * {@code downloads.txt} in the data directory (one JSON object a line, read by {@link StateFiles}'
 * rules) and run again when the node starts, resuming from their verified chunks.
 */
public final class DownloadQueue implements AutoCloseable {
    static final String FILE_NAME = "downloads.txt";
    private static final int MAX_FILE_BYTES = 16 << 20;
    private static final ObjectMapper JSON = new ObjectMapper();
    /** How long pause and cancel wait for a run to end before answering. */
    private static final long STOP_WAIT_SECONDS = 15;

    private final LocalNode node;
    private final Path file;
    private final Map<String, Job> jobs = new LinkedHashMap<>(); // guarded by this
    private final ExecutorService threads = Executors.newCachedThreadPool(r -> {
        Thread t = new Thread(r, "p2p-download");
        t.setDaemon(true);
        return t;
    });
    private int lastId; // guarded by this

    /** One download: what was asked, its state, and its run while one goes on. */
    private static final class Job {
        final DownloadState state;
        final ShareLink link;
        final Path out;
        final long timeoutSeconds;
        boolean paused;
        boolean finished; // complete and verified: not run again
        Future<?> run;

        Job(DownloadState state, ShareLink link, Path out, long timeoutSeconds) {
            this.state = state;
            this.link = link;
            this.out = out;
            this.timeoutSeconds = timeoutSeconds;
        }
    }

    public DownloadQueue(LocalNode node) {
        this.node = node;
        this.file = node.dataDir().resolve(FILE_NAME);
    }

    /** Runs again every download remembered as not done (paused ones stay paused); returns how many run. */
    public synchronized int resumeRemembered() {
        StateFiles.Lines read = StateFiles.readLines(file, MAX_FILE_BYTES);
        String damage = read.damage();
        int running = 0;
        for (String line : read.lines()) {
            Job job = parse(line);
            if (job == null) {
                damage = damage != null ? damage : "a line is not a download";
                continue;
            }
            jobs.put(job.state.id, job);
            lastId = Math.max(lastId, Integer.parseInt(job.state.id));
            if (job.paused) {
                job.state.paused();
            } else {
                run(job);
                running++;
            }
        }
        if (damage != null && StateFiles.setAside(file, damage, "the node resumes the " + jobs.size()
                + " downloads it could read; run get again for the others") != null) {
            saveQuietly();
        }
        return running;
    }

    private Job parse(String line) {
        try {
            JsonNode n = JSON.readTree(line);
            String id = n.path("id").asText();
            if (!id.matches("[0-9]{1,9}") || jobs.containsKey(id) || !n.path("paused").isBoolean() || !n.path("share").isBoolean()) {
                return null;
            }
            String link = n.path("link").asText();
            Path out = Path.of(n.path("out").asText());
            long timeout = n.path("timeoutSeconds").asLong(-1);
            if (!out.isAbsolute() || timeout < 1) {
                return null;
            }
            Job job = new Job(node.track(id, link, out, n.path("share").asBoolean(), Selection.of(globs(n.path("include")))),
                    ShareLink.parse(link), out, timeout);
            job.paused = n.path("paused").asBoolean();
            return job;
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    private static List<String> globs(JsonNode include) {
        if (include.isMissingNode()) {
            return List.of();
        }
        if (!include.isArray()) {
            throw new IllegalArgumentException("include is not a list");
        }
        List<String> globs = new ArrayList<>();
        for (JsonNode g : include) {
            if (!g.isTextual()) {
                throw new IllegalArgumentException("include holds a non-text glob");
            }
            globs.add(g.asText());
        }
        return globs;
    }

    /** Starts a download of the files {@code selection} names; it is remembered until done or cancelled. */
    public synchronized DownloadState start(String linkText, ShareLink link, Path out, long timeoutSeconds, boolean share,
            Selection selection) throws IOException {
        String id = Integer.toString(++lastId);
        Job job = new Job(node.track(id, linkText, out, share, selection), link, out, timeoutSeconds);
        jobs.put(id, job);
        save();
        run(job);
        return job.state;
    }

    public DownloadState pause(String id) throws IOException, InterruptedException {
        Job job;
        synchronized (this) {
            job = job(id);
            requireNotDone(job, "paused");
            job.paused = true;
            job.state.paused();
            save();
        }
        stopRun(job, "paused");
        return job.state;
    }

    public synchronized DownloadState resume(String id) throws IOException {
        Job job = job(id);
        requireNotDone(job, "resumed");
        if (job.run != null && !job.run.isDone()) {
            return job.state; // running already
        }
        job.paused = false;
        save();
        run(job);
        return job.state;
    }

    /** Cancels download {@code id}; with {@code delete}, its partial data goes too (else it stays for a later get). */
    public DownloadState cancel(String id, boolean delete) throws IOException, InterruptedException {
        Job job;
        synchronized (this) {
            job = job(id);
            requireNotDone(job, "cancelled");
            job.paused = true;
            job.state.cancelled();
            jobs.remove(id);
            node.forget(id);
            save();
        }
        stopRun(job, "cancelled");
        if (delete) {
            PartialDownload.discard(job.out, job.link.contentId());
        }
        return job.state;
    }

    private Job job(String id) {
        Job job = jobs.get(id);
        if (job == null) {
            throw new UserError(ExitCode.USAGE, "no such download: " + id + " (p2p downloads lists them)");
        }
        return job;
    }

    private static void requireNotDone(Job job, String what) {
        if (job.finished) {
            throw new UserError(ExitCode.USAGE, "download " + job.state.id + " is done (" + job.state.path()
                    + "); it cannot be " + what);
        }
    }

    private void run(Job job) {
        job.state.restart();
        job.run = threads.submit(() -> runOnce(job));
    }

    private void runOnce(Job job) {
        DownloadResult r;
        try {
            r = node.get(job.link, job.out, Duration.ofSeconds(job.timeoutSeconds), job.state, DownloadListener.NONE);
        } catch (UserError e) {
            return; // LocalNode.get recorded the failure in the state; a restart or resume tries again
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return;
        }
        synchronized (this) {
            job.finished = true;
            saveQuietly(); // no longer remembered, before the state says done
        }
        if (job.state.shareWhenDone) {
            share(job.state, job, r.path());
        }
    }

    /** Shares a finished download; the state says whether that worked, so `p2p get` can tell the user. */
    private void share(DownloadState state, Job job, Path path) {
        try {
            node.shareDownloaded(job.link.contentId(), path);
            state.shared();
        } catch (IOException e) {
            state.notShared(FileErrors.describe(e));
        } catch (UserError e) {
            state.notShared(e.getMessage());
        } catch (InterruptedException e) {
            state.notShared("the node stopped before it could share it");
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            state.notShared(String.valueOf(e.getMessage()));
            throw e;
        }
    }

    /** Ends the job's run, if one goes on, and waits for it to end so a new run can start at once. */
    private void stopRun(Job job, String reason) throws InterruptedException {
        Future<?> run;
        synchronized (this) {
            run = job.run;
        }
        if (run == null || run.isDone()) {
            return;
        }
        node.stop(job.link.contentId(), reason);
        try {
            run.get(STOP_WAIT_SECONDS, TimeUnit.SECONDS);
        } catch (ExecutionException | TimeoutException e) {
            Logs.get(DownloadQueue.class).log(Level.WARNING, "download " + job.state.id + " did not stop at once", e);
        }
    }

    /** Writes the downloads not done: id, link, where, timeout, share, paused, and the globs of a partial one. */
    private void save() throws IOException {
        StringBuilder s = new StringBuilder();
        for (Job job : jobs.values()) {
            if (job.finished) {
                continue;
            }
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", job.state.id);
            m.put("link", job.state.link);
            m.put("out", job.out.toString());
            m.put("timeoutSeconds", job.timeoutSeconds);
            m.put("share", job.state.shareWhenDone);
            m.put("paused", job.paused);
            if (!job.state.selection.all()) {
                m.put("include", job.state.selection.globs());
            }
            s.append(JSON.writeValueAsString(m)).append('\n');
        }
        try {
            PrivateFiles.writeAtomically(file, s.toString());
        } catch (IOException e) {
            throw new IOException("cannot write " + file + " (" + FileErrors.describe(e) + ")", e);
        }
    }

    private void saveQuietly() {
        try {
            save();
        } catch (IOException e) {
            StateFiles.warn(e.getMessage() + "; unfinished downloads may not resume after a restart");
        }
    }

    @Override
    public void close() {
        threads.shutdownNow();
    }
}
