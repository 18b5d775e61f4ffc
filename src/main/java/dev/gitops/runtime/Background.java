package dev.gitops.runtime;

/**
 * Work the caller need not wait for: a delivery's record, commit statuses, Slack messages. Outside Lambda it runs on
 * a pool after the caller goes on ({@link PooledBackground}); in Lambda, where the process freezes once the handler
 * returns, it runs at once on the caller's thread ({@link InlineBackground}). A failure is logged, never thrown.
 */
public interface Background {
    /**
     * @param what what the work does, for the log when it fails
     */
    void run(String what, Runnable work);
}
